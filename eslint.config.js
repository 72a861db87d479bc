// Lint is part of `npm test`: typed rules catch floating promises and unsafe `any`.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  // wasm/ is AssemblyScript (its own types, compiled by asc in `npm run build`).
  { ignores: ["dist/**", "node_modules/**", "**/*.js", ".work/**", "samples/**/work/**", "wasm/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/consistent-type-imports": "error",
      "no-constant-condition": ["error", { checkLoops: false }],
      "eqeqeq": ["error", "always"],
    },
  },
  // Functions stay short enough to read whole (the project's code rules: at most about 80 lines).
  {
    files: ["src/**/*.ts"],
    rules: {
      "max-lines-per-function": ["error", { max: 80, skipBlankLines: true, skipComments: true }],
    },
  },
);
