#pragma once
/**
 * The Disorder dock (issue 18 point 2): the measures of disorder.json for the open document, each
 * with its bootstrap 95% interval, the ring-size distribution of the polygon route as bars with
 * their intervals, and the choice of a per-column map of local disorder over the image. Recomputed off the GUI thread whenever the columns, motifs or hierarchy change.
 */

#include "core/disorder/disorder.h"
#include "ui/document/columnset.h"
#include "ui/jobs/disorderjob.h"

#include <QPointer>
#include <QWidget>

#include <memory>
#include <optional>

class QCustomPlot;
class QLabel;
class QTableWidget;
class QTimer;

namespace motifscope::ui {

class LocalMapBox;
class MicrographDocument;

class DisorderPanel : public QWidget
{
    Q_OBJECT
public:
    explicit DisorderPanel(MicrographDocument* document, QWidget* parent = nullptr);

    QTableWidget* table() const { return mTable; }
    QCustomPlot* ringPlot() const { return mRingPlot; }
    /** "Map on image": the per-column measure that colours the image, and its colour bar. */
    LocalMapBox* mapBox() const { return mMapBox; }
    /** The report on show (none before the first one is computed or without columns). */
    const std::optional<disorder::DisorderReport>& report() const { return mReport; }

Q_SIGNALS:
    /** A new report is on show (or the panel was cleared: report() empty). */
    void reportShown();

private:
    void schedule();
    void start();
    void showReport(std::optional<disorder::DisorderReport> report);
    void addRow(const QString& name, const disorder::Estimate& estimate, int decimals, const QString& hint);

    QPointer<MicrographDocument> mDocument;
    QLabel* mSummary = nullptr;
    QTableWidget* mTable = nullptr;
    QCustomPlot* mRingPlot = nullptr;
    LocalMapBox* mMapBox = nullptr;
    QTimer* mDelay = nullptr;
    DisorderJob* mJob = nullptr;
    std::optional<disorder::DisorderReport> mReport;
};

} // namespace motifscope::ui
