#pragma once
/** The status bar's permanent fields: cursor readout, image size and type, zoom, selected columns, busy indicator. */

#include "core/detect/atom_column.h"
#include "core/io/micrograph.h"

#include <QObject>
#include <QPointer>
#include <QPointF>

class QLabel;
class QProgressBar;
class QStatusBar;

namespace motifscope::ui {

class ImageView;
class MicrographDocument;

/**
 * "x 123, y 45 (2.46 nm, 0.90 nm)  value 0.8123" for the pixel nearest `imagePoint`, or "" when
 * the point lies outside the image. The status bar appends columnReadout() when over a column.
 */
QString cursorReadout(const Micrograph& micrograph, const QPointF& imagePoint);

/**
 * A column's position uncertainty for people: "σ 0.080 px", or in the image's unit when it is
 * calibrated ("σ 1.7 pm (0.080 px)": lengths below a nanometre in pm). "" for sigma <= 0.
 */
QString positionSigmaText(double sigmaPx, const Calibration& calibration);

/**
 * "column σ 0.080 px" for the column nearest `imagePoint` within `radius` image pixels ("column
 * (not fitted)" when it has no sigma), or "" when no column is that close.
 */
QString columnReadout(const AtomColumns& columns, const Calibration& calibration, const QPointF& imagePoint,
                      double radius);

/** Fills a QStatusBar with labels that follow the document and the view. */
class StatusReadout : public QObject
{
    Q_OBJECT
public:
    StatusReadout(QStatusBar* statusBar, MicrographDocument* document, ImageView* view);

    QLabel* cursorLabel() const { return mCursor; }
    QLabel* imageLabel() const { return mImage; }
    QLabel* zoomLabel() const { return mZoom; }
    /** "12 of 800 selected" (hidden when nothing is selected). */
    QLabel* selectionLabel() const { return mSelection; }
    QProgressBar* busyIndicator() const { return mBusy; }

    /** Shows or hides the indeterminate progress bar with a short text ("Loading x.tif"). */
    void setBusy(bool busy, const QString& text = QString());

private:
    void showCursor(const QPointF& imagePoint);
    void updateImage();
    void updateZoom();
    void updateSelection();
    /** How near the cursor must be to a column for its read-out: 0.35 x the column spacing. */
    double columnRadius();

    QPointer<MicrographDocument> mDocument;
    QPointer<ImageView> mView;
    QLabel* mCursor = nullptr;
    QLabel* mImage = nullptr;
    QLabel* mZoom = nullptr;
    QLabel* mSelection = nullptr;
    QLabel* mBusyText = nullptr;
    QProgressBar* mBusy = nullptr;
    quint64 mRadiusRevision = ~quint64(0);
    double mRadius = 0.0;
};

} // namespace motifscope::ui
