#pragma once
/** The open micrograph and everything the user does to it; views subscribe to its signals. */

#include "io/micrograph.h"

#include <QObject>
#include <QString>

#include <memory>

class QUndoStack;

namespace motifscope::ui {

/** How the micrograph is mapped to grey levels: percentile clip and gamma. */
struct DisplaySettings
{
    static constexpr double kDefaultLowPercent = 0.5;
    static constexpr double kDefaultHighPercent = 99.5;

    double lowPercent = kDefaultLowPercent;   ///< pixels at or below this percentile are black
    double highPercent = kDefaultHighPercent; ///< pixels at or above this percentile are white
    double gamma = 1.0;                       ///< grey = t^gamma, t the clipped value scaled to 0..1

    bool operator==(const DisplaySettings&) const = default;
};

/**
 * Owns the micrograph (immutable, shared with background jobs as a snapshot), its file path,
 * display settings and the undo stack. Every change emits one past-tense signal.
 */
class MicrographDocument : public QObject
{
    Q_OBJECT
public:
    explicit MicrographDocument(QObject* parent = nullptr);
    ~MicrographDocument() override;

    bool hasMicrograph() const { return mMicrograph != nullptr; }
    /** The current micrograph; an empty one when nothing is loaded. */
    const Micrograph& micrograph() const;
    /** A shared, read-only snapshot for background jobs (null when nothing is loaded). */
    std::shared_ptr<const Micrograph> snapshot() const { return mMicrograph; }
    /** Where the micrograph came from ("" for one made in memory). */
    const QString& filePath() const { return mFilePath; }
    QString displayName() const;

    /** Replaces the micrograph; emits micrographChanged, then contrastChanged (new limits). */
    void setMicrograph(Micrograph micrograph, const QString& filePath = QString());
    void setMicrograph(std::shared_ptr<const Micrograph> micrograph, const QString& filePath = QString());

    const DisplaySettings& displaySettings() const { return mDisplay; }
    /** Sets the clip percentiles (0..100, low < high; invalid pairs are corrected). */
    void setContrastPercentiles(double lowPercent, double highPercent);
    void setGamma(double gamma);
    void setDisplaySettings(const DisplaySettings& settings);
    /** Back to 0.5 % / 99.5 % and gamma 1. */
    void resetContrast();

    /** Pixel values at the low and high clip percentiles (what maps to black and white). */
    double displayLow() const { return mDisplayLow; }
    double displayHigh() const { return mDisplayHigh; }

    QUndoStack* undoStack() const { return mUndoStack; }

Q_SIGNALS:
    /** A different micrograph (or file path) is now open. */
    void micrographChanged();
    /** The grey-level mapping changed (settings or their pixel-value limits). */
    void contrastChanged();

private:
    void updateDisplayLimits();

    std::shared_ptr<const Micrograph> mMicrograph;
    QString mFilePath;
    DisplaySettings mDisplay;
    double mDisplayLow = 0.0;
    double mDisplayHigh = 1.0;
    QUndoStack* mUndoStack = nullptr;
};

} // namespace motifscope::ui
