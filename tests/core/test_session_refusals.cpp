// Session files (.motifscope): truncated, bit-flipped, malformed or newer files are refused with an
// error naming the problem, and never crash the reader.
#include "session_test_files.h"
#include "test_support.h"

#include "core/session/session.h"
#include "core/session/session_codec.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

using namespace motifscope;
using motifscope::test::readAll;
using motifscope::test::richSession;
using motifscope::test::writeAll;

class TestSessionRefusals : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void truncatedFilesAreRefused();
    void bitFlippedFilesNeverCrash();
    void malformedContentIsRefused();
    void futureVersionIsRefused();
};

void TestSessionRefusals::truncatedFilesAreRefused()
{
    test::TempDir dir;
    const std::string path = dir.file("t.motifscope");
    saveSession(richSession("/a.tif", 5), path);
    const std::string full = readAll(path);
    QCOMPARE(full.back(), '\n');
    int refused = 0;
    // Every prefix that loses more than the final newline must be refused with an IoError. The loop
    // parses from memory (loadSession = read the file + sessionFromJsonText); a few go through files.
    for (std::size_t length = 0; length + 1 < full.size(); ++length) {
        try {
            sessionFromJsonText(full.substr(0, length), path);
            QFAIL(qPrintable(QStringLiteral("truncation to %1 bytes was accepted").arg(length)));
        } catch (const IoError& e) {
            QCOMPARE(e.file(), path);
            ++refused;
        }
    }
    QCOMPARE(refused, int(full.size()) - 1);
    const std::string cut = dir.file("cut.motifscope");
    for (std::size_t length : {std::size_t(0), std::size_t(1), full.size() / 3, full.size() / 2, full.size() - 2}) {
        writeAll(cut, full.substr(0, length));
        QVERIFY_THROWS_EXCEPTION(IoError, loadSession(cut));
    }
    writeAll(cut, full.substr(0, full.size() - 1));
    QCOMPARE(loadSession(cut).columns.size(), std::size_t(5));
}

void TestSessionRefusals::bitFlippedFilesNeverCrash()
{
    test::TempDir dir;
    const std::string path = dir.file("b.motifscope");
    saveSession(richSession("/a.tif", 5), path);
    const std::string full = readAll(path);
    const std::string flipped = dir.file("flip.motifscope");
    int refused = 0, loaded = 0;
    for (std::size_t i = 0; i < full.size(); ++i) {
        std::string copy = full;
        copy[i] = char(copy[i] ^ (1 << (i % 8)));
        try {
            const Session s = sessionFromJsonText(copy, flipped);
            ++loaded; // a flip in a name or a number can leave a valid session
            QCOMPARE(s.columns.size(), std::size_t(5));
        } catch (const IoError&) {
            ++refused;
        }
    }
    QVERIFY(refused > int(full.size()) / 2);
    QVERIFY(loaded + refused == int(full.size()));

    // Any change inside array data is caught by the array's hash.
    const auto root = nlohmann::json::parse(full);
    const std::string data = root["columns"]["x"]["base64"].get<std::string>();
    const std::size_t at = full.find(data);
    QVERIFY(at != std::string::npos);
    std::string copy = full;
    copy[at + 5] = copy[at + 5] == 'A' ? 'B' : 'A';
    writeAll(flipped, copy);
    try {
        loadSession(flipped);
        QFAIL("damaged array data was accepted");
    } catch (const IoError& e) {
        QVERIFY2(e.problem().find("columns.x") != std::string::npos, e.what());
    }
}

void TestSessionRefusals::malformedContentIsRefused()
{
    test::TempDir dir;
    const std::string path = dir.file("m.motifscope");
    saveSession(richSession("/a.tif", 4), path);
    const nlohmann::json good = nlohmann::json::parse(readAll(path));
    auto expectRefused = [&](const nlohmann::json& j, const std::string& fragment) {
        writeAll(path, j.dump());
        try {
            loadSession(path);
            QFAIL(qPrintable(QString::fromStdString("accepted: " + fragment)));
        } catch (const IoError& e) {
            QVERIFY2(e.problem().find(fragment) != std::string::npos, e.what());
        }
    };
    using session_detail::encodeArray;
    nlohmann::json j = good;
    j["columns"]["count"] = 5; // arrays hold 4
    expectRefused(j, "columns.x declares 4 values where the session needs 5");
    j = good;
    j["columns"]["y"] = encodeArray(std::vector<double>{1, 2, 3});
    expectRefused(j, "columns.y declares 3 values where the session needs 4");
    j = good;
    j["columns"]["x"]["count"] = 1000000000000000ULL; // a damaged count field: named as declared
    expectRefused(j, "columns.x declares 1000000000000000 values where the session needs 4");
    j = good;
    j["columns"]["x"] = encodeArray(std::vector<double>{1, std::numeric_limits<double>::quiet_NaN(), 3, 4});
    expectRefused(j, "columns.x has a non-finite value at index 1");
    j = good;
    j["columns"]["confidence"] = encodeArray(std::vector<float>{0.5f, 1.5f, 0, 0});
    expectRefused(j, "confidence of column 1");
    j = good;
    j["columns"]["x"] = encodeArray(std::vector<float>{1, 2, 3, 4});
    expectRefused(j, "dtype 'float32'");
    j = good;
    j["embedding"] = encodeArray(std::vector<float>{1, 2, 3});
    expectRefused(j, "embedding has 3 values");
    j = good;
    j["embedding"] = encodeArray(std::vector<float>{1, 2, 3, 4, 5, 6, 7, std::numeric_limits<float>::infinity()});
    expectRefused(j, "embedding has a non-finite value at index 7");
    j = good;
    j["image"].erase("width");
    expectRefused(j, "missing image.width");
    j = good;
    j["parameters"]["learning"]["method"] = "dbscan";
    expectRefused(j, "method must be segment, gmm or kmeans");
    j = good;
    j["motifs"][0]["colour"] = "red";
    expectRefused(j, "is not #rrggbb");
    j = good;
    j["hierarchy"]["column_motif"] = encodeArray(std::vector<std::int32_t>{0, 1, 2, 0});
    expectRefused(j, "not a level-1 motif");
    j = good;
    j["view_state"] = 3;
    expectRefused(j, "view_state must be a JSON object");
    // Motif indices beyond the table (these crashed or hung the window) and repeated motif ids.
    for (const std::int32_t bad : {3, 1 << 30, 100000000, std::numeric_limits<std::int32_t>::max()}) {
        j = good;
        j["columns"]["motif"] = encodeArray(std::vector<std::int32_t>{0, bad, -1, 1});
        expectRefused(j, "columns.motif[1] is " + std::to_string(bad) + " but the session has 3 motifs");
    }
    j = good;
    j["motifs"][2]["id"] = 1;
    expectRefused(j, "motif id 1 where 2 was due");
    j = good;
    j["format"] = "something-else";
    expectRefused(j, "not a MotifScope session");
    expectRefused(nlohmann::json::array(), "not a MotifScope session");

    for (const std::string& text : {std::string(), std::string("\x89PNG\r\n"), std::string(100000, '['),
                                   std::string("{\"format\": \"motifscope-session\", \"version\": 1}")}) {
        writeAll(path, text);
        QVERIFY_THROWS_EXCEPTION(IoError, loadSession(path));
    }
    QVERIFY_THROWS_EXCEPTION(IoError, loadSession(dir.file("does-not-exist.motifscope")));
    QVERIFY_THROWS_EXCEPTION(IoError, loadSession(dir.path().string())); // a folder
}

void TestSessionRefusals::futureVersionIsRefused()
{
    test::TempDir dir;
    const std::string path = dir.file("f.motifscope");
    saveSession(richSession("/a.tif"), path);
    nlohmann::json j = nlohmann::json::parse(readAll(path));
    j["version"] = 2;
    writeAll(path, j.dump());
    try {
        loadSession(path);
        QFAIL("a newer session version was accepted");
    } catch (const IoError& e) {
        QVERIFY2(e.problem().find("version 2 is newer") != std::string::npos, e.what());
        QVERIFY2(e.problem().find("update") != std::string::npos, e.what());
    }
    j["version"] = 0;
    writeAll(path, j.dump());
    QVERIFY_THROWS_EXCEPTION(IoError, loadSession(path));
    j["version"] = "1";
    writeAll(path, j.dump());
    QVERIFY_THROWS_EXCEPTION(IoError, loadSession(path));
}

QTEST_GUILESS_MAIN(TestSessionRefusals)
#include "test_session_refusals.moc"
