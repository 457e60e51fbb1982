/**
 * Utilities at the bottom of every stage: atomic file writes ({@link org.emergence.common.AtomicFiles}), the
 * one-line user error ({@link org.emergence.common.UserError}, exit 2), JSON and protobuf reading, seeds, half
 * floats, progress lines and the private local directories ({@link org.emergence.common.LocalDirs}). Not a stage of
 * the data flow: everything uses it. Depends on the JDK and Jackson only; must not depend on any other
 * {@code org.emergence} package. See docs/errors.md (the one-line contract) and docs/reliability.md (atomic
 * writes, the private cache).
 */
package org.emergence.common;
