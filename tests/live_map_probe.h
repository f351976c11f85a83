#pragma once
/**
 * Watches the main window's map while it learns (the live-update benchmark and test): which paints
 * of the map's canvas show positions not painted before, and how late a 10 ms timer on the GUI
 * thread runs (the longest the event loop was blocked). Measures only; the caller judges.
 */

#include "ui/learn/embeddingplot.h"

#include <QElapsedTimer>
#include <QEvent>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <algorithm>

#include <cstdint>
#include <cstring>
#include <vector>

namespace motifscope::test {

class LiveMapProbe : public QObject
{
public:
    /** A paint of the canvas that showed positions it had not shown before. */
    struct Frame
    {
        qint64 ms = 0;          ///< since start()
        std::uint64_t hash = 0; ///< of every position
        int points = 0;
    };
    /** A turn of the event loop that came late: `gapMs` between two ticks, ending at `ms`. */
    struct Gap
    {
        qint64 ms = 0, gapMs = 0;
    };

    explicit LiveMapProbe(ui::EmbeddingPlot* plot) : mPlot(plot)
    {
        plot->canvas()->installEventFilter(this);
        mTicker.setTimerType(Qt::PreciseTimer);
        mTicker.setInterval(kTickMs);
        QObject::connect(&mTicker, &QTimer::timeout, this, [this] { tick(); });
    }

    void start()
    {
        mFrames.clear();
        mGaps.clear();
        mClock.start();
        mLastTick = 0;
        mTicker.start();
        mRunning = true;
    }
    void stop()
    {
        tick();
        mTicker.stop();
        mRunning = false;
    }
    qint64 elapsedMs() const { return mClock.isValid() ? mClock.elapsed() : 0; }

    const std::vector<Frame>& frames() const { return mFrames; }
    /** Ticks that came more than `kLateMs` after the one before. */
    const std::vector<Gap>& lateTicks() const { return mGaps; }
    /** The longest gap between ticks that ended in [fromMs, toMs), at least the timer's interval. */
    qint64 longestGap(qint64 fromMs = 0, qint64 toMs = INT64_MAX) const
    {
        qint64 worst = kTickMs;
        for (const Gap& g : mGaps)
            if (g.ms >= fromMs && g.ms < toMs)
                worst = std::max(worst, g.gapMs);
        return worst;
    }
    int framesBetween(qint64 fromMs, qint64 toMs) const
    {
        int n = 0;
        for (const Frame& f : mFrames)
            n += f.ms >= fromMs && f.ms <= toMs;
        return n;
    }

    static constexpr int kTickMs = 10;
    static constexpr int kLateMs = 30;

protected:
    bool eventFilter(QObject* watched, QEvent* event) override
    {
        if (mRunning && mPlot && event->type() == QEvent::Paint && watched == mPlot->canvas()) {
            const std::uint64_t h = positionsHash(mPlot->embedding());
            if (mFrames.empty() || mFrames.back().hash != h)
                mFrames.push_back({mClock.elapsed(), h, mPlot->pointCount()});
        }
        return QObject::eventFilter(watched, event);
    }

private:
    void tick()
    {
        if (!mClock.isValid())
            return;
        const qint64 now = mClock.elapsed();
        if (now - mLastTick > kLateMs)
            mGaps.push_back({now, now - mLastTick});
        mLastTick = now;
    }

    static std::uint64_t positionsHash(const Eigen::MatrixX2f& m)
    {
        std::uint64_t h = 1469598103934665603ULL ^ std::uint64_t(m.rows());
        const float* p = m.data();
        for (Eigen::Index i = 0; i < m.size(); ++i) {
            std::uint32_t bits;
            std::memcpy(&bits, p + i, 4);
            h = (h ^ bits) * 1099511628211ULL;
        }
        return h;
    }

    QPointer<ui::EmbeddingPlot> mPlot;
    QTimer mTicker;
    QElapsedTimer mClock;
    qint64 mLastTick = 0;
    bool mRunning = false;
    std::vector<Frame> mFrames;
    std::vector<Gap> mGaps;
};

} // namespace motifscope::test
