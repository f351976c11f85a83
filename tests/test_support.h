#pragma once
/** Helpers shared by the test suites: where test data lives, temporary folders, running the CLI. */

#include <QtTest>

#include <filesystem>
#include <string>
#include <unistd.h>

namespace motifscope::test {

/**
 * True in an AddressSanitizer build. There every fork (the isolated EMD reader) costs tens of
 * milliseconds, so sweeps that fork per input take a sparser sample; the release build runs them whole.
 */
#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kSanitizedBuild = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr bool kSanitizedBuild = true;
#else
inline constexpr bool kSanitizedBuild = false;
#endif
#else
inline constexpr bool kSanitizedBuild = false;
#endif

/** Absolute path of a file under ../shared/data ("" when shared data is absent). */
inline std::string sharedPath(const std::string& relative)
{
    const std::filesystem::path p = std::filesystem::path(MOTIFSCOPE_SHARED_DATA) / relative;
    return std::filesystem::exists(p) ? p.string() : std::string();
}

/** Declares `var` as the path of a shared data file, or skips the test when it is absent. */
#define MOTIFSCOPE_SHARED_FILE(var, relative)                                                      \
    const std::string var = motifscope::test::sharedPath(relative);                                \
    if (var.empty())                                                                               \
        QSKIP("shared test data (../shared/data) not found");

inline std::string sourcePath(const std::string& relative)
{
    return (std::filesystem::path(MOTIFSCOPE_SOURCE_DIR) / relative).string();
}

/** A fresh temporary folder removed when the object dies. */
class TempDir
{
public:
    TempDir()
    {
        static int counter = 0;
        mPath = std::filesystem::temp_directory_path()
            / ("motifscope-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
        std::filesystem::remove_all(mPath);
        std::filesystem::create_directories(mPath);
    }
    ~TempDir() { std::filesystem::remove_all(mPath); }
    std::string file(const std::string& name) const { return (mPath / name).string(); }
    const std::filesystem::path& path() const { return mPath; }

private:
    std::filesystem::path mPath;
};

} // namespace motifscope::test
