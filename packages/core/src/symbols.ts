/**
 * Private brands. They are registered symbols so that two copies of the package (e.g. a linked
 * workspace and an installed tarball) still recognise each other's declarations.
 */
export const kDependency: unique symbol = Symbol.for("@depends/core.dependency");
export const kSource: unique symbol = Symbol.for("@depends/core.source");
