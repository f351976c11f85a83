#pragma once
/**
 * Waiting for background work in the widget tests: one way to start a job and wait for it to end,
 * for the main window and for a panel alike, and one to load a file and wait for the outcome.
 */

#include <QSignalSpy>
#include <QString>

#include <utility>

namespace motifscope::test {

/** How long a wait for a job lasts unless a test says otherwise (a hang guard, not a speed test). */
inline constexpr int kJobTimeoutMs = 180000;

/** Waits while `object` (anything with isBusy() and a busyChanged(bool) signal) is busy; false on timeout. */
template <typename Busy>
bool waitUntilIdle(Busy* object, int timeoutMs = kJobTimeoutMs)
{
    QSignalSpy busy(object, &Busy::busyChanged);
    while (object->isBusy())
        if (!busy.wait(timeoutMs))
            return false;
    return true;
}

/**
 * Calls `start` and waits until `object` (a MainWindow, a DetectionPanel: anything with isBusy()
 * and a busyChanged(bool) signal) has no background work left. An object with hasPendingUpdate()
 * (the detection panel's live update, which starts after a short delay) is first waited for to
 * start. False on timeout, or when nothing started and no busy round trip was seen.
 */
template <typename Busy, typename Start>
bool runAndWait(Busy* object, Start start, int timeoutMs = kJobTimeoutMs)
{
    QSignalSpy busy(object, &Busy::busyChanged);
    start();
    if constexpr (requires { object->hasPendingUpdate(); })
        if (object->hasPendingUpdate() && !busy.wait(timeoutMs))
            return false;
    if (!object->isBusy())
        return busy.count() >= 2;
    return waitUntilIdle(object, timeoutMs);
}

/** Opens `path` in `window` (a MainWindow) and waits for loadFinished: (ok, message), (false, "timed out") on timeout. */
template <typename Window>
std::pair<bool, QString> loadAndWait(Window& window, const QString& path, int timeoutMs = 20000)
{
    QSignalSpy finished(&window, &Window::loadFinished);
    window.openFile(path);
    if (!finished.wait(timeoutMs))
        return {false, QStringLiteral("timed out")};
    return {finished.at(0).at(1).toBool(), finished.at(0).at(2).toString()};
}

} // namespace motifscope::test
