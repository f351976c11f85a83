#pragma once
/** File > Export Figure: where, which format (from the extension), PNG resolution, region and what to draw. */

#include "ui/figure/figure.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLineEdit;
class QRadioButton;
class QSpinBox;

namespace motifscope::ui {

/** What the dialog asks for. */
struct FigureExportRequest
{
    QString path;
    FigureOptions options;
    bool currentViewOnly = false; ///< the part of the image the view shows, else the whole image
};

/**
 * The format follows the file name's extension (.png, .svg, .pdf) and the format box rewrites the
 * extension; DPI applies to PNG only. OK is enabled for a path with one of those extensions.
 */
class ExportFigureDialog : public QDialog
{
    Q_OBJECT
public:
    explicit ExportFigureDialog(QWidget* parent = nullptr);

    void setRequest(const FigureExportRequest& request);
    FigureExportRequest request() const;

    QLineEdit* pathEdit() const { return mPath; }
    QComboBox* formatBox() const { return mFormat; }
    QSpinBox* dpiBox() const { return mDpi; }

private:
    void browse();
    void onPathEdited();
    void onFormatChosen();
    void updateEnabled();

    QLineEdit* mPath = nullptr;
    QComboBox* mFormat = nullptr;
    QSpinBox* mDpi = nullptr;
    QDoubleSpinBox* mWidth = nullptr;
    QRadioButton* mWholeImage = nullptr;
    QRadioButton* mCurrentView = nullptr;
    QCheckBox* mLegend = nullptr;
    QCheckBox* mScaleBar = nullptr;
    QCheckBox* mAverages = nullptr;
    QCheckBox* mHierarchy = nullptr;
    QComboBox* mMarkers = nullptr;
    QPushButton* mOk = nullptr;
};

} // namespace motifscope::ui
