#include "ui/panels/profilepanel.h"

#include "ui/document/micrographdocument.h"
#include "ui/tools/linetool.h"

#include <QLabel>
#include <QPainter>
#include <QPainterPath>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <numbers>

namespace motifscope::ui {

ProfilePlot::ProfilePlot(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("profilePlot"));
    setMinimumHeight(140);
    setToolTip(tr("Intensity along the line, from its start (left) to its end"));
}

void ProfilePlot::setProfile(std::vector<float> values, double step, const QString& unit)
{
    mValues = std::move(values);
    mStep = step;
    mUnit = unit;
    update();
}

void ProfilePlot::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.fillRect(rect(), palette().base());
    p.setRenderHint(QPainter::Antialiasing, true);
    double lo = INFINITY, hi = -INFINITY;
    for (float v : mValues)
        if (std::isfinite(v)) {
            lo = std::min(lo, double(v));
            hi = std::max(hi, double(v));
        }
    const QFontMetrics fm(font());
    if (mValues.size() < 2 || !(lo <= hi)) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(rect(), Qt::AlignCenter | Qt::TextWordWrap, tr("Draw a line on the image with the line tool (L)"));
        return;
    }
    if (hi == lo)
        hi = lo + 1.0;
    const QString hiText = QString::number(hi, 'g', 4), loText = QString::number(lo, 'g', 4);
    const double left = std::max(fm.horizontalAdvance(hiText), fm.horizontalAdvance(loText)) + 8.0;
    const QRectF a(left, 6, width() - left - 8, height() - 6 - 2 * fm.height() - 6);
    p.setPen(palette().color(QPalette::Mid));
    p.drawRect(a);
    p.setPen(palette().color(QPalette::Text));
    p.drawText(QRectF(0, a.top() - fm.height() / 2.0, left - 4, fm.height()), Qt::AlignRight | Qt::AlignVCenter, hiText);
    p.drawText(QRectF(0, a.bottom() - fm.height() / 2.0, left - 4, fm.height()), Qt::AlignRight | Qt::AlignVCenter, loText);
    const double total = mStep * double(mValues.size() - 1);
    p.drawText(QRectF(a.left(), a.bottom() + 2, a.width(), fm.height()), Qt::AlignLeft, QStringLiteral("0"));
    p.drawText(QRectF(a.left(), a.bottom() + 2, a.width(), fm.height()), Qt::AlignRight,
               QStringLiteral("%1 %2").arg(QString::number(total, 'g', 4), mUnit));
    p.drawText(QRectF(a.left(), a.bottom() + 2 + fm.height(), a.width(), fm.height()), Qt::AlignHCenter,
               tr("distance along the line"));
    QPainterPath path;
    bool drawing = false;
    for (std::size_t k = 0; k < mValues.size(); ++k) {
        if (!std::isfinite(mValues[k])) {
            drawing = false;
            continue;
        }
        const QPointF pt(a.left() + a.width() * double(k) / double(mValues.size() - 1),
                         a.bottom() - a.height() * (mValues[k] - lo) / (hi - lo));
        if (drawing)
            path.lineTo(pt);
        else
            path.moveTo(pt);
        drawing = true;
    }
    p.setPen(QPen(QColor(30, 90, 200), 1.5));
    p.drawPath(path);
}

ProfilePanel::ProfilePanel(MicrographDocument* document, LineTool* tool, QWidget* parent)
    : QWidget(parent), mDocument(document), mTool(tool)
{
    setObjectName(QStringLiteral("profilePanel"));
    mLength = new QLabel;
    mLength->setObjectName(QStringLiteral("lineLength"));
    mLength->setTextInteractionFlags(Qt::TextSelectableByMouse);
    mLength->setWordWrap(true);
    mPlot = new ProfilePlot;
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(mLength);
    layout->addWidget(mPlot, 1);
    connect(tool, &LineTool::lineChanged, this, &ProfilePanel::refresh);
    refresh();
}

void ProfilePanel::refresh()
{
    if (!mTool || !mTool->hasLine() || !mDocument || !mDocument->hasMicrograph()) {
        mLength->setText(tr("No line: choose Image > Line Profile (L) and drag on the image"));
        mPlot->setProfile({}, 1.0, QString());
        return;
    }
    const QPointF a = mTool->start(), b = mTool->end();
    const double angle = std::atan2(-(b.y() - a.y()), b.x() - a.x()) * 180.0 / std::numbers::pi;
    mLength->setText(tr("Length %1, angle %2°").arg(mTool->lengthText()).arg(angle, 0, 'f', 1));
    const Calibration& c = mDocument->micrograph().calibration;
    const double step = mTool->lengthPixels() > 0 ? mTool->lengthCalibrated() / mTool->lengthPixels() : 1.0;
    mPlot->setProfile(lineProfile(mDocument->micrograph(), a, b), step,
                      c.isCalibrated() ? QString::fromStdString(c.unit) : QStringLiteral("px"));
}

} // namespace motifscope::ui
