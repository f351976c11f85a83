#include "core/io/file_util.h"

#include "core/io/micrograph.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string_view>
#include <system_error>
#include <unistd.h>

namespace motifscope {

namespace {

/** True when no process `pid` exists (a writer that was killed), never for this process. */
bool ownerIsGone(long pid)
{
    return pid > 0 && pid != long(::getpid()) && ::kill(pid_t(pid), 0) == -1 && errno == ESRCH;
}

bool allDigits(std::string_view text)
{
    return !text.empty() && text.size() <= 9
        && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

/**
 * The writer's pid from what follows ".tmp" in a temporary's name: ".NAME.tmpPID", or
 * ".NAME.tmpPID.EXT" (writers that need the extension to pick a format). `extension` (with its dot)
 * is the one expected; `anyExtension` takes any short one instead. 0 when it is not such a name.
 */
long temporaryOwner(std::string_view afterTmp, std::string_view extension, bool anyExtension)
{
    std::string_view digits = afterTmp;
    if (anyExtension) {
        const std::size_t dot = digits.find('.');
        if (dot != std::string_view::npos && digits.size() - dot <= 9)
            digits = digits.substr(0, dot);
    } else if (!extension.empty() && digits.size() > extension.size()
               && digits.substr(digits.size() - extension.size()) == extension) {
        digits = digits.substr(0, digits.size() - extension.size());
    }
    return allDigits(digits) ? std::stol(std::string(digits)) : 0;
}

/** Removes the entries of `folder` whose name `accept`s and whose writer is gone. */
template <typename Accept> void removeDeadTemporaries(const std::filesystem::path& folder, Accept accept)
{
    namespace fs = std::filesystem;
    std::error_code ec;
    for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (ownerIsGone(accept(name))) {
            std::error_code ignored;
            fs::remove(it->path(), ignored);
        }
    }
}

/**
 * Test hook: with MOTIFSCOPE_TEST_KILL_AT_WRITE=K in the environment the process kills itself
 * (SIGKILL, as `kill -9` would) in its K-th atomic write, after the temporary is complete and before
 * the rename. The tests use it to stop a run between the files of a folder.
 */
void killHereIfAsked()
{
    static const long target = [] {
        const char* value = std::getenv("MOTIFSCOPE_TEST_KILL_AT_WRITE");
        return value ? std::atol(value) : 0L;
    }();
    static std::atomic<long> writes{0};
    if (target > 0 && ++writes == target)
        std::raise(SIGKILL);
}

} // namespace

void removeStaleTemporaries(const std::string& path)
{
    const std::filesystem::path target(path);
    const std::string prefix = "." + target.filename().string() + ".tmp";
    const std::string extension = target.extension().string();
    const std::filesystem::path folder = target.parent_path().empty() ? "." : target.parent_path();
    removeDeadTemporaries(folder, [&](const std::string& name) {
        if (name.size() <= prefix.size() || name.compare(0, prefix.size(), prefix) != 0)
            return 0L;
        return temporaryOwner(std::string_view(name).substr(prefix.size()), extension, false);
    });
}

void removeStaleTemporariesIn(const std::string& folder)
{
    removeDeadTemporaries(folder, [](const std::string& name) {
        const std::size_t tmp = name.rfind(".tmp");
        if (name.empty() || name[0] != '.' || tmp == std::string::npos || tmp < 2)
            return 0L;
        return temporaryOwner(std::string_view(name).substr(tmp + 4), {}, true);
    });
}

void writeAtomically(const std::string& path, const std::function<void(const std::string&)>& write)
{
    namespace fs = std::filesystem;
    const fs::path target(path);
    removeStaleTemporaries(path);
    const fs::path temp = target.parent_path()
        / (std::string(".") + target.filename().string() + ".tmp" + std::to_string(::getpid()));
    try {
        write(temp.string());
        killHereIfAsked();
    } catch (...) {
        std::error_code ignored;
        fs::remove(temp, ignored);
        throw;
    }
    std::error_code ec;
    fs::rename(temp, target, ec);
    if (ec) {
        std::error_code ignored;
        fs::remove(temp, ignored);
        throw IoError(path, "cannot write: " + ec.message());
    }
}

void writeFileAtomically(const std::string& path, std::string_view bytes)
{
    writeAtomically(path, [&](const std::string& temp) {
        std::FILE* f = std::fopen(temp.c_str(), "wb");
        if (!f)
            throw IoError(path, "cannot open for writing");
        const bool ok = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size() && std::fflush(f) == 0;
        const bool closed = std::fclose(f) == 0;
        if (!ok || !closed)
            throw IoError(path, "write failed (disk full?)");
    });
}

std::string fileExtension(const std::string& path)
{
    std::string ext = std::filesystem::path(path).extension().string();
    if (!ext.empty() && ext[0] == '.')
        ext.erase(0, 1);
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return ext;
}

} // namespace motifscope
