#pragma once
/** The status bar's permanent fields: cursor readout, image size and type, zoom, busy indicator. */

#include "io/micrograph.h"

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
 * the point lies outside the image.
 */
QString cursorReadout(const Micrograph& micrograph, const QPointF& imagePoint);

/** Fills a QStatusBar with labels that follow the document and the view. */
class StatusReadout : public QObject
{
    Q_OBJECT
public:
    StatusReadout(QStatusBar* statusBar, MicrographDocument* document, ImageView* view);

    QLabel* cursorLabel() const { return mCursor; }
    QLabel* imageLabel() const { return mImage; }
    QLabel* zoomLabel() const { return mZoom; }
    QProgressBar* busyIndicator() const { return mBusy; }

    /** Shows or hides the indeterminate progress bar with a short text ("Loading x.tif"). */
    void setBusy(bool busy, const QString& text = QString());

private:
    void showCursor(const QPointF& imagePoint);
    void updateImage();
    void updateZoom();

    QPointer<MicrographDocument> mDocument;
    QPointer<ImageView> mView;
    QLabel* mCursor = nullptr;
    QLabel* mImage = nullptr;
    QLabel* mZoom = nullptr;
    QLabel* mBusyText = nullptr;
    QProgressBar* mBusy = nullptr;
};

} // namespace motifscope::ui
