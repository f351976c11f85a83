#pragma once
/** The Profile dock: the line tool's length, angle and the intensity along the line (as Fiji's Plot Profile). */

#include <QPointer>
#include <QWidget>

#include <vector>

class QLabel;

namespace motifscope::ui {

class LineTool;
class MicrographDocument;

/** A line chart of a profile: distance along the line (calibrated) against intensity. */
class ProfilePlot : public QWidget
{
    Q_OBJECT
public:
    explicit ProfilePlot(QWidget* parent = nullptr);
    /** `values` one per `step` (calibrated unit) along the line. */
    void setProfile(std::vector<float> values, double step, const QString& unit);
    const std::vector<float>& values() const { return mValues; }
    QSize sizeHint() const override { return {300, 180}; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    std::vector<float> mValues;
    double mStep = 1.0;
    QString mUnit;
};

class ProfilePanel : public QWidget
{
    Q_OBJECT
public:
    ProfilePanel(MicrographDocument* document, LineTool* tool, QWidget* parent = nullptr);

    ProfilePlot* plot() const { return mPlot; }
    QLabel* lengthLabel() const { return mLength; }

private:
    void refresh();

    QPointer<MicrographDocument> mDocument;
    QPointer<LineTool> mTool;
    QLabel* mLength = nullptr;
    ProfilePlot* mPlot = nullptr;
};

} // namespace motifscope::ui
