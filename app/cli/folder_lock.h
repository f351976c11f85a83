#pragma once
/** One writer per output folder: an advisory lock that the system drops when the process dies. */

#include <string>

namespace motifscope::cli {

/**
 * Locks `folder` for this process (flock on FOLDER/.motifscope-analyze.lock, which holds the
 * owner's pid). A second run into the same folder gets InputError naming the folder and the
 * running process; a killed run's lock vanishes with it. release() (or the destructor) unlocks and
 * removes the lock file, so a folder the run created can be removed empty.
 */
class FolderLock
{
public:
    explicit FolderLock(const std::string& folder);
    ~FolderLock();
    FolderLock(const FolderLock&) = delete;
    FolderLock& operator=(const FolderLock&) = delete;
    void release();

private:
    std::string mPath;
    int mFd = -1;
};

} // namespace motifscope::cli
