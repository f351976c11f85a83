#pragma once
/** Atomic file output: write to a temporary sibling, then rename over the target. */

#include <functional>
#include <string>
#include <string_view>

namespace motifscope {

/**
 * Removes the temporaries of `path` (".NAME.tmpPID" beside it) that a killed writer left behind:
 * those whose process is gone. A live process's (a writer at work) are left alone. Every atomic
 * writer calls it before writing.
 */
void removeStaleTemporaries(const std::string& path);

/** The same for every file of `folder`: all ".NAME.tmpPID[.EXT]" whose writer is gone. */
void removeStaleTemporariesIn(const std::string& folder);

/** Calls `write(tempPath)` and renames tempPath to `path` on success; removes it on failure. */
void writeAtomically(const std::string& path, const std::function<void(const std::string& tempPath)>& write);

/** Writes `bytes` to `path` atomically; IoError naming the file when it cannot (disk full, no access). */
void writeFileAtomically(const std::string& path, std::string_view bytes);

/** Lower-case extension of a path without the dot ("tif" for "a/b.TIF"). */
std::string fileExtension(const std::string& path);

} // namespace motifscope
