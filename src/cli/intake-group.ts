// cli: the `recomp intake` command group; each intake mode adds its subcommand to the one group.
import type { Command } from "commander";

export function intakeGroup(program: Command): Command {
  return (
    program.commands.find((command) => command.name() === "intake") ??
    program.command("intake").description("turn a title's inputs into segment images for lifting, with assets kept apart")
  );
}
