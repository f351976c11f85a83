#pragma once
/** Running motifscope-cli from a test, optionally killed (SIGKILL) in its K-th atomic file write. */

#include <QProcess>
#include <QString>
#include <QStringList>

namespace motifscope::test {

struct CliRun
{
    QProcess::ExitStatus status = QProcess::CrashExit;
    int exitCode = -1;
    QString err;
};

/**
 * Runs the CLI with `args` and waits up to three minutes. killAtWrite > 0 sets the test hook
 * MOTIFSCOPE_TEST_KILL_AT_WRITE (core/io/file_util.cpp): the run kills itself in that write.
 */
inline CliRun runCli(const QStringList& args, int killAtWrite = 0)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    if (killAtWrite > 0)
        env.insert(QStringLiteral("MOTIFSCOPE_TEST_KILL_AT_WRITE"), QString::number(killAtWrite));
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(MOTIFSCOPE_CLI_PATH), args);
    if (!p.waitForFinished(180000))
        return {};
    return {p.exitStatus(), p.exitCode(), QString::fromUtf8(p.readAllStandardError())};
}

inline QString q(const std::string& s) { return QString::fromStdString(s); }

} // namespace motifscope::test
