// A plugin with a mistake, for the loader's test: its operation has no parameter schema.
export default {
  name: "broken",
  description: "Has an operation without parameters.",
  settings: {},
  connect: () => ({}),
  check: async () => null,
  operations: { shout: { description: "x", sideEffect: false, run: async () => null } },
};
