#pragma once
/**
 * Whole-folder atomicity for output folders (the analysis folder): every file is replaced atomically
 * on its own, and FOLDER/manifest.json tells whether the files belong to one finished run. A run
 * first marks the folder "writing" (one atomic rename over the previous manifest), writes its files,
 * then writes the manifest "complete" with each file's size and checksum. A run killed in between
 * leaves the "writing" mark, so a reader never takes a mix of two runs for one. Format: docs/formats.md.
 */

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace motifscope {

inline constexpr const char* kManifestName = "manifest.json";

/** FNV-1a, 64 bits, of a file's bytes (the manifest's checksum); IoError when it cannot be read. */
std::uint64_t fileChecksum(const std::string& path);

/** One run writing into a folder. */
class FolderRun
{
public:
    /**
     * Marks `folder` as being written (manifest "writing"). `outputs` are the names the command
     * may write: those the run does not write anew are left over from an earlier run and are
     * removed by finish(). `command` and `input` are recorded for provenance.
     */
    FolderRun(std::string folder, std::string command, std::string input, std::vector<std::string> outputs);

    /** Removes left-over outputs and writes the manifest "complete", naming every file written since. */
    void finish();

private:
    struct Identity
    {
        std::uint64_t device = 0, inode = 0, size = 0;
        std::int64_t modified = 0;
        bool operator==(const Identity&) const = default;
    };
    std::map<std::string, Identity> snapshot() const;

    std::string mFolder, mCommand, mInput;
    std::vector<std::string> mOutputs;
    std::map<std::string, Identity> mBefore;
};

/** What a folder's manifest says about its files. */
enum class FolderState
{
    Unmarked,    ///< no manifest.json (written before manifests, or by another program)
    Complete,    ///< a finished run, every file as it wrote it
    Interrupted, ///< a run started and never finished: the files may mix two runs
    Changed,     ///< a finished run, but files were changed, removed or the manifest is damaged
};

struct FolderCheck
{
    FolderState state = FolderState::Unmarked;
    std::string problem; ///< one line naming the file and what is wrong (empty when Complete/Unmarked)
};

/** Reads FOLDER/manifest.json and compares every file it names with the folder. */
FolderCheck checkFolder(const std::string& folder);

} // namespace motifscope
