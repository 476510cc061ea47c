/* cli.h - the subcommands of sparsegen next to generation (docs/run.md):
 *   sparsegen run VARIANT_DIR ...          build the variant's model if missing or stale, run
 *   sparsegen list                         the variants built under build/
 *   sparsegen synth VARIANT_DIR TARGET [PART]  Yosys synthesis (scripts/synth.sh)
 * They use the repository the binary was built in (build/bin/.. ; SG_ROOT overrides). */
#ifndef SPARSEGEN_CLI_H
#define SPARSEGEN_CLI_H

/* If argv[1] names a subcommand, runs it, stores its exit status in *rc and returns 1.
 * Otherwise returns 0 (generation goes on; for --help it first prints the subcommands). */
int cli_dispatch(int argc, char **argv, int *rc);

#endif
