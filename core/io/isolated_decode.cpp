// A decoder run in a forked child; the Micrograph comes back through a pipe in a small binary
// message: 'O' + fields, or 'E' + the problem text of an IoError.
#include "core/io/isolated_decode.h"

#include <poll.h>
#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <new>
#include <vector>

namespace motifscope {

namespace {

constexpr std::uint8_t kReplyImage = 'O';
constexpr std::uint8_t kReplyError = 'E';
constexpr std::uint32_t kMaxTextBytes = 1 << 20;
constexpr std::uint32_t kMaxMetadataEntries = 100000;

/** Appends native-endian values and strings to a message (both ends are the same program). */
class MessageWriter
{
public:
    template <typename T> void put(T value)
    {
        const auto* p = reinterpret_cast<const std::uint8_t*>(&value);
        mBytes.insert(mBytes.end(), p, p + sizeof(T));
    }
    void putText(const std::string& text)
    {
        const auto size = static_cast<std::uint32_t>(std::min<std::size_t>(text.size(), kMaxTextBytes));
        put(size);
        mBytes.insert(mBytes.end(), text.begin(), text.begin() + size);
    }
    void putFloats(const std::vector<float>& values)
    {
        put(static_cast<std::uint64_t>(values.size()));
        const auto* p = reinterpret_cast<const std::uint8_t*>(values.data());
        mBytes.insert(mBytes.end(), p, p + values.size() * sizeof(float));
    }
    const std::vector<std::uint8_t>& bytes() const { return mBytes; }

private:
    std::vector<std::uint8_t> mBytes;
};

/** Reads a message back, checking every length against what arrived. */
class MessageReader
{
public:
    MessageReader(const std::vector<std::uint8_t>& bytes, const std::string& fileName)
        : mBytes(bytes), mFileName(fileName)
    {
    }
    template <typename T> T get()
    {
        need(sizeof(T));
        T value;
        std::memcpy(&value, mBytes.data() + mOffset, sizeof(T));
        mOffset += sizeof(T);
        return value;
    }
    std::string getText()
    {
        const auto size = get<std::uint32_t>();
        if (size > kMaxTextBytes)
            garbled();
        need(size);
        std::string text(reinterpret_cast<const char*>(mBytes.data() + mOffset), size);
        mOffset += size;
        return text;
    }
    std::vector<float> getFloats(std::size_t expected)
    {
        const auto count = get<std::uint64_t>();
        if (count != expected)
            garbled();
        need(count * sizeof(float));
        std::vector<float> values(count);
        std::memcpy(values.data(), mBytes.data() + mOffset, count * sizeof(float));
        mOffset += count * sizeof(float);
        return values;
    }
    bool atEnd() const { return mOffset == mBytes.size(); }
    [[noreturn]] void garbled() const
    {
        throw IoError(mFileName, "the isolated reader sent back a garbled image (internal error)");
    }

private:
    void need(std::size_t n) const
    {
        if (n > mBytes.size() - mOffset)
            garbled();
    }
    const std::vector<std::uint8_t>& mBytes;
    const std::string& mFileName;
    std::size_t mOffset = 0;
};

std::vector<std::uint8_t> encodeImage(const Micrograph& m)
{
    MessageWriter w;
    w.put(kReplyImage);
    w.put(static_cast<std::int32_t>(m.width));
    w.put(static_cast<std::int32_t>(m.height));
    w.put(static_cast<std::int32_t>(m.frames));
    w.putText(m.dtype);
    w.putText(m.format);
    w.put(m.calibration.pixelSizeX);
    w.put(m.calibration.pixelSizeY);
    w.putText(m.calibration.unit);
    w.put(static_cast<std::uint32_t>(m.metadata.size()));
    for (const auto& [key, value] : m.metadata) {
        w.putText(key);
        w.putText(value);
    }
    w.putFloats(m.pixels);
    return w.bytes();
}

std::vector<std::uint8_t> encodeError(const std::string& problem)
{
    MessageWriter w;
    w.put(kReplyError);
    w.putText(problem);
    return w.bytes();
}

Micrograph decodeReply(const std::vector<std::uint8_t>& bytes, const std::string& fileName)
{
    MessageReader r(bytes, fileName);
    const auto kind = r.get<std::uint8_t>();
    if (kind == kReplyError)
        throw IoError(fileName, r.getText());
    if (kind != kReplyImage)
        r.garbled();
    Micrograph m;
    m.width = r.get<std::int32_t>();
    m.height = r.get<std::int32_t>();
    m.frames = r.get<std::int32_t>();
    checkImageSize(fileName, m.width, m.height);
    m.dtype = r.getText();
    m.format = r.getText();
    m.calibration.pixelSizeX = r.get<double>();
    m.calibration.pixelSizeY = r.get<double>();
    m.calibration.unit = r.getText();
    const auto entries = r.get<std::uint32_t>();
    if (entries > kMaxMetadataEntries)
        r.garbled();
    for (std::uint32_t i = 0; i < entries; ++i) {
        std::string key = r.getText();
        m.metadata[std::move(key)] = r.getText();
    }
    m.pixels = r.getFloats(m.pixelCount());
    if (!r.atEnd())
        r.garbled();
    return m;
}

/** Child side: decode, send the reply, and leave without running the parent's exit handlers. */
[[noreturn]] void runChild(int writeEnd, const std::function<Micrograph()>& decode)
{
    std::vector<std::uint8_t> reply;
    try {
        reply = encodeImage(decode());
    } catch (const IoError& error) {
        reply = encodeError(error.problem());
    } catch (const std::bad_alloc&) {
        reply = encodeError("not enough memory to read the image");
    } catch (const std::exception& error) {
        reply = encodeError(std::string("cannot read the file: ") + error.what());
    } catch (...) {
        reply = encodeError("cannot read the file: unknown failure in the reader");
    }
    std::size_t sent = 0;
    while (sent < reply.size()) {
        const ssize_t n = ::write(writeEnd, reply.data() + sent, reply.size() - sent);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            ::_exit(2);
        sent += static_cast<std::size_t>(n);
    }
    ::close(writeEnd);
    ::_exit(0);
}

/** Parent side: everything the child writes until it closes the pipe, or false on timeout. */
bool receiveAll(int readEnd, std::chrono::steady_clock::time_point deadline, std::vector<std::uint8_t>& received)
{
    std::vector<std::uint8_t> chunk(1 << 20);
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0)
            return false;
        pollfd descriptor{readEnd, POLLIN, 0};
        const int ready = ::poll(&descriptor, 1, static_cast<int>(std::min<long long>(left.count(), 1000)));
        if (ready < 0 && errno == EINTR)
            continue;
        if (ready <= 0)
            continue;
        const ssize_t n = ::read(readEnd, chunk.data(), chunk.size());
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return true; // end of file (or a broken pipe: the reply is then incomplete)
        received.insert(received.end(), chunk.begin(), chunk.begin() + n);
    }
}

/** Waits for the child; returns its wait status, or -1 when it cannot be collected. */
int collectChild(pid_t child)
{
    int status = 0;
    while (::waitpid(child, &status, 0) < 0) {
        if (errno != EINTR)
            return -1;
    }
    return status;
}

} // namespace

Micrograph decodeInChildProcess(const std::function<Micrograph()>& decode, const std::string& fileName,
                                std::chrono::milliseconds timeLimit)
{
    int ends[2];
    if (::pipe(ends) != 0)
        throw IoError(fileName, std::string("cannot start the isolated reader: ") + std::strerror(errno));
    const pid_t child = ::fork();
    if (child < 0) {
        const int error = errno;
        ::close(ends[0]);
        ::close(ends[1]);
        throw IoError(fileName, std::string("cannot start the isolated reader: ") + std::strerror(error));
    }
    if (child == 0) {
        ::close(ends[0]);
        runChild(ends[1], decode);
    }
    ::close(ends[1]);

    std::vector<std::uint8_t> reply;
    bool finished = false;
    try {
        finished = receiveAll(ends[0], std::chrono::steady_clock::now() + timeLimit, reply);
    } catch (const std::bad_alloc&) {
        ::kill(child, SIGKILL);
        ::close(ends[0]);
        collectChild(child);
        throw IoError(fileName, "not enough memory to read the image");
    }
    ::close(ends[0]);
    if (!finished)
        ::kill(child, SIGKILL);
    const int status = collectChild(child);

    if (!finished)
        throw IoError(fileName, "reading took longer than " + std::to_string(timeLimit.count() / 1000) +
                                    " s and was stopped: the file is probably damaged");
    if (status != -1 && WIFSIGNALED(status))
        throw IoError(fileName, "the reader crashed on this file (signal " + std::to_string(WTERMSIG(status)) +
                                    "): the file is damaged or not a valid file of its format");
    if (reply.empty() || (status != -1 && (!WIFEXITED(status) || WEXITSTATUS(status) != 0)))
        throw IoError(fileName, "the reader stopped without an answer: the file is damaged or not a valid file of its format");
    return decodeReply(reply, fileName);
}

} // namespace motifscope
