#include "app/cli/folder_lock.h"

#include "app/cli/cli_args.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <sys/file.h>
#include <unistd.h>

namespace motifscope::cli {

FolderLock::FolderLock(const std::string& folder)
    : mPath((std::filesystem::path(folder) / ".motifscope-analyze.lock").string())
{
    mFd = ::open(mPath.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (mFd < 0)
        throw InputError(folder + ": cannot lock the output folder (" + std::strerror(errno) + ")");
    if (::flock(mFd, LOCK_EX | LOCK_NB) != 0) {
        char owner[32] = {};
        const ssize_t n = ::pread(mFd, owner, sizeof owner - 1, 0);
        ::close(mFd);
        mFd = -1;
        std::string who = n > 0 ? std::string(owner, std::size_t(n)) : std::string();
        while (!who.empty() && (who.back() == '\n' || who.back() == ' '))
            who.pop_back();
        throw InputError(folder + ": another analysis is writing into this folder" +
                         (who.empty() ? std::string() : " (process " + who + ")") + "; wait for it or choose another --out");
    }
    const std::string pid = std::to_string(::getpid()) + "\n";
    if (::ftruncate(mFd, 0) == 0)
        (void)!::pwrite(mFd, pid.data(), pid.size(), 0);
}

FolderLock::~FolderLock()
{
    release();
}

void FolderLock::release()
{
    if (mFd < 0)
        return;
    ::unlink(mPath.c_str());
    ::close(mFd); // closing drops the lock
    mFd = -1;
}

} // namespace motifscope::cli
