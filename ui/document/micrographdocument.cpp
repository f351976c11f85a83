#include "document/micrographdocument.h"

#include "render/contrast.h"

#include <QFileInfo>
#include <QUndoStack>

#include <algorithm>
#include <cmath>

namespace motifscope::ui {

namespace {

/** The settings made valid: percentiles in 0..100 with low < high, gamma in a usable range. */
DisplaySettings sanitised(DisplaySettings s)
{
    constexpr double kMinGap = 0.01;
    if (!std::isfinite(s.lowPercent))
        s.lowPercent = DisplaySettings::kDefaultLowPercent;
    if (!std::isfinite(s.highPercent))
        s.highPercent = DisplaySettings::kDefaultHighPercent;
    s.lowPercent = std::clamp(s.lowPercent, 0.0, 100.0 - kMinGap);
    s.highPercent = std::clamp(s.highPercent, s.lowPercent + kMinGap, 100.0);
    if (!std::isfinite(s.gamma) || s.gamma <= 0.0)
        s.gamma = 1.0;
    s.gamma = std::clamp(s.gamma, 0.05, 20.0);
    return s;
}

} // namespace

MicrographDocument::MicrographDocument(QObject* parent)
    : QObject(parent), mUndoStack(new QUndoStack(this))
{
}

MicrographDocument::~MicrographDocument() = default;

const Micrograph& MicrographDocument::micrograph() const
{
    static const Micrograph empty;
    return mMicrograph ? *mMicrograph : empty;
}

QString MicrographDocument::displayName() const
{
    if (mFilePath.isEmpty())
        return hasMicrograph() ? tr("Untitled") : QString();
    return QFileInfo(mFilePath).fileName();
}

void MicrographDocument::setMicrograph(Micrograph micrograph, const QString& filePath)
{
    setMicrograph(std::make_shared<const Micrograph>(std::move(micrograph)), filePath);
}

void MicrographDocument::setMicrograph(std::shared_ptr<const Micrograph> micrograph, const QString& filePath)
{
    mMicrograph = std::move(micrograph);
    mFilePath = filePath;
    // Edits of the previous image cannot be undone onto a different one.
    mUndoStack->clear();
    updateDisplayLimits();
    Q_EMIT micrographChanged();
    Q_EMIT contrastChanged();
}

void MicrographDocument::setContrastPercentiles(double lowPercent, double highPercent)
{
    DisplaySettings s = mDisplay;
    s.lowPercent = lowPercent;
    s.highPercent = highPercent;
    setDisplaySettings(s);
}

void MicrographDocument::setGamma(double gamma)
{
    DisplaySettings s = mDisplay;
    s.gamma = gamma;
    setDisplaySettings(s);
}

void MicrographDocument::setDisplaySettings(const DisplaySettings& settings)
{
    const DisplaySettings s = sanitised(settings);
    if (s == mDisplay)
        return;
    const bool limitsMove = s.lowPercent != mDisplay.lowPercent || s.highPercent != mDisplay.highPercent;
    mDisplay = s;
    if (limitsMove)
        updateDisplayLimits();
    Q_EMIT contrastChanged();
}

void MicrographDocument::resetContrast()
{
    setDisplaySettings(DisplaySettings{});
}

void MicrographDocument::updateDisplayLimits()
{
    if (!mMicrograph || mMicrograph->empty()) {
        mDisplayLow = 0.0;
        mDisplayHigh = 1.0;
        return;
    }
    const auto [low, high] = percentileLimits(mMicrograph->pixels.data(), mMicrograph->pixelCount(),
                                              mDisplay.lowPercent, mDisplay.highPercent);
    mDisplayLow = low;
    mDisplayHigh = high;
}

} // namespace motifscope::ui
