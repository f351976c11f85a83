#pragma once
/** The micrograph's histogram in the contrast panel, with the black and white points marked (as Fiji's B&C). */

#include <QPointer>
#include <QVector>
#include <QWidget>

namespace motifscope::ui {

class MicrographDocument;

/**
 * kBins bins between the image's smallest and largest finite value, bar heights on a log scale so
 * the few bright columns show beside the background; two vertical lines at the values shown black
 * and white, and under the bars the lookup table's colour ramp between them.
 */
class HistogramWidget : public QWidget
{
    Q_OBJECT
public:
    static constexpr int kBins = 256;

    explicit HistogramWidget(QWidget* parent = nullptr);
    void setDocument(MicrographDocument* document);

    /** Pixels per bin (empty without an image). */
    const QVector<qint64>& bins() const { return mBins; }
    double minimum() const { return mMin; }
    double maximum() const { return mMax; }
    /** The bin holding `value` (clamped to 0 .. kBins - 1). */
    int binOf(double value) const;
    /** Where value `v` is drawn, in widget x. */
    double xOf(double value) const;

    QSize sizeHint() const override { return {240, 70}; }
    QSize minimumSizeHint() const override { return {120, 44}; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    void recount();
    QRectF plotArea() const;

    QPointer<MicrographDocument> mDocument;
    QVector<qint64> mBins;
    double mMin = 0.0, mMax = 1.0;
};

} // namespace motifscope::ui
