// config: controller controls of input scripts: names, numeric codes and value ranges (docs/runtime-services.md).

export interface ControlInfo {
  name: string;
  code: number;
  kind: "button" | "axis";
}

/** Buttons use Horizon's HidNpadButton bit numbers as codes; stick axes use 256..259. */
export const controls: readonly ControlInfo[] = [
  ...["a", "b", "x", "y", "stick_l", "stick_r", "l", "r", "zl", "zr", "plus", "minus", "dpad_left", "dpad_up", "dpad_right", "dpad_down"].map(
    (name, code): ControlInfo => ({ name, code, kind: "button" }),
  ),
  ...["stick_l_x", "stick_l_y", "stick_r_x", "stick_r_y"].map((name, index): ControlInfo => ({ name, code: 256 + index, kind: "axis" })),
];

export const controlNames: readonly string[] = controls.map((control) => control.name);

export const axisLimit = 32767;

export function controlByName(name: string): ControlInfo | undefined {
  return controls.find((control) => control.name === name);
}

export function controlByCode(code: number): ControlInfo | undefined {
  return controls.find((control) => control.code === code);
}

/** Why `value` is not valid for the control, or undefined when it is. */
export function controlValueProblem(control: ControlInfo, value: number): string | undefined {
  if (control.kind === "button") return value === 0 || value === 1 ? undefined : `button "${control.name}" takes 0 (released) or 1 (pressed), not ${value}`;
  return Math.abs(value) <= axisLimit ? undefined : `axis "${control.name}" takes -${axisLimit}..${axisLimit}, not ${value}`;
}
