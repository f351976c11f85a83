#include "ui/panels/disorderpanel.h"

#include "ui/document/columnset.h"
#include "ui/document/micrographdocument.h"
#include "ui/learn/qcustomplotinclude.h"
#include "ui/panels/localmapbox.h"
#include "ui/text/hint.h"

#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace motifscope::ui {

namespace {

constexpr int kRecomputeDelayMs = 250; // edits come in bursts (a drag, an undo series): measure once after them

QString numberText(double value, int decimals)
{
    return std::isfinite(value) ? QString::number(value, 'f', decimals) : QStringLiteral("—");
}

} // namespace

DisorderPanel::DisorderPanel(MicrographDocument* document, QWidget* parent)
    : QWidget(parent), mDocument(document)
{
    setObjectName(QStringLiteral("disorderPanel"));
    mSummary = new QLabel(tr("Detect columns and learn motifs to measure how disordered the structure is."));
    mSummary->setObjectName(QStringLiteral("disorderSummary"));
    mSummary->setWordWrap(true);
    mTable = new QTableWidget(0, 3);
    mTable->setObjectName(QStringLiteral("disorderTable"));
    mTable->setHorizontalHeaderLabels({tr("Measure"), tr("Value"), tr("95% interval")});
    mTable->verticalHeader()->hide();
    mTable->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed); // one row height, whatever font a symbol needs
    mTable->verticalHeader()->setDefaultSectionSize(mTable->fontMetrics().height() + 8);
    mTable->setEditTriggers(QAbstractItemView::NoEditTriggers);
    mTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    mTable->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    mTable->horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    mTable->horizontalHeader()->setSectionResizeMode(2, QHeaderView::ResizeToContents);
    setHint(mTable, tr("Each measure with its bootstrap 95% interval, as analyze writes them to disorder.json "
                       "(docs/disorder.md defines them)"));

    mRingPlot = new QCustomPlot;
    mRingPlot->setObjectName(QStringLiteral("ringSizePlot"));
    mRingPlot->setMinimumHeight(140);
    mRingPlot->xAxis->setLabel(tr("ring size (members)"));
    mRingPlot->yAxis->setLabel(tr("share of rings"));
    mRingPlot->setVisible(false);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(mSummary);
    mMapBox = new LocalMapBox;
    layout->addWidget(mMapBox);
    layout->addWidget(mTable, 1);
    layout->addWidget(mRingPlot, 1);

    mDelay = new QTimer(this);
    mDelay->setSingleShot(true);
    mDelay->setInterval(kRecomputeDelayMs);
    connect(mDelay, &QTimer::timeout, this, &DisorderPanel::start);
    mJob = new DisorderJob(this);
    connect(mJob, &DisorderJob::measured, this, [this](const disorder::DisorderReport& report) { showReport(report); });
    connect(mJob, &DisorderJob::measuredLocally, this, [this](const disorder::LocalDisorder& local) {
        mMapBox->setLocal(local, mDocument ? mDocument->motifTable().size() : 0);
    });
    connect(mJob, &DisorderJob::failed, this, [this](const QString& message) {
        showReport(std::nullopt);
        mMapBox->clear();
        mSummary->setText(message);
    });
    if (mDocument) {
        connect(mDocument, &MicrographDocument::columnsChanged, this, &DisorderPanel::schedule);
        connect(mDocument, &MicrographDocument::motifsChanged, this, &DisorderPanel::schedule);
        connect(mDocument, &MicrographDocument::hierarchyChanged, this, &DisorderPanel::schedule);
        connect(mDocument, &MicrographDocument::micrographChanged, this, &DisorderPanel::schedule);
    }
    schedule();
}

void DisorderPanel::schedule()
{
    mDelay->start();
}

void DisorderPanel::start()
{
    if (!mDocument || mDocument->columns().empty()) {
        mJob->cancel();
        showReport(std::nullopt);
        mMapBox->clear();
        return;
    }
    // A snapshot: the job reads copies, never the document the GUI thread edits; a newer start
    // supersedes a run that reads an older state.
    mJob->start(mDocument->columnSet(), mDocument->hierarchy());
}

void DisorderPanel::addRow(const QString& name, const disorder::Estimate& estimate, int decimals, const QString& hint)
{
    const int row = mTable->rowCount();
    mTable->insertRow(row);
    auto* nameItem = new QTableWidgetItem(name);
    nameItem->setToolTip(hint);
    mTable->setItem(row, 0, nameItem);
    auto* value = new QTableWidgetItem(numberText(estimate.value, decimals));
    value->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    value->setToolTip(estimate.defined() ? hint : tr("Not defined for this analysis"));
    mTable->setItem(row, 1, value);
    const bool hasInterval = std::isfinite(estimate.ci.lo) && std::isfinite(estimate.ci.hi) && estimate.defined();
    mTable->setItem(row, 2, new QTableWidgetItem(hasInterval ? QStringLiteral("%1 – %2")
                                                                   .arg(numberText(estimate.ci.lo, decimals),
                                                                        numberText(estimate.ci.hi, decimals))
                                                             : QStringLiteral("—")));
}

void DisorderPanel::showReport(std::optional<disorder::DisorderReport> report)
{
    mReport = std::move(report);
    mTable->setRowCount(0);
    mRingPlot->clearPlottables();
    if (!mReport) {
        mSummary->setText(tr("Detect columns and learn motifs to measure how disordered the structure is."));
        mRingPlot->setVisible(false);
        Q_EMIT reportShown();
        return;
    }
    const disorder::DisorderReport& r = *mReport;
    mSummary->setText(r.assignedColumns > 0
                          ? tr("%1 of %2 columns in %3 motifs; intervals from %4 bootstrap resamples.")
                                .arg(r.assignedColumns).arg(r.columns).arg(r.motifs).arg(r.plan.resamples)
                          : tr("%1 columns, none with a motif yet: learn motifs for the motif measures.").arg(r.columns));
    const double nan = std::nan("");
    if (r.assignedColumns > 0)
        addRow(tr("Motif entropy (bits)"), r.motifEntropy, 3,
               tr("Shannon entropy of the level-1 motif fractions: 0 for one motif, log2 K for K equal motifs"));
    addRow(tr("Motif continuity (0–1)"), r.continuity, 3,
           tr("0: compact, well-separated motifs on the map; 1: one continuous range of local structures"));
    for (std::size_t l = 0; l < r.levelEntropy.size(); ++l) {
        addRow(tr("Level %1 entropy (bits)").arg(l + 1), r.levelEntropy[l], 3,
               tr("Shannon entropy of the hierarchy level's motif fractions"));
        if (l < r.levelMotifs95.size())
            addRow(tr("Level %1 motifs covering 95%").arg(l + 1), {r.levelMotifs95[l].value, {nan, nan}}, 0,
                   tr("The fewest distinct motifs of the level that cover 95% of its occurrences"));
    }
    if (!r.route.empty()) {
        addRow(tr("Bond order |ψ6|"), r.psi6, 3, tr("Mean six-fold bond-orientational order: 1 for perfect hexagonal neighbourhoods"));
        addRow(tr("Bond order |ψ4|"), r.psi4, 3, tr("Mean four-fold bond-orientational order: 1 for perfect square neighbourhoods"));
    }
    if (r.hasRings) {
        addRow(tr("Ring size, mean"), r.rings.mean, 3, tr("Mean number of members of the counted rings"));
        addRow(tr("Ring size, variance"), r.rings.variance, 3, tr("Variance of the ring size (μ2)"));
        addRow(tr("Aboav–Weaire a"), r.rings.aboavWeaireA, 3,
               tr("a in n·m(n) = (⟨n⟩ − a)·n + ⟨n⟩·a + μ2, from the neighbours' mean size m(n)"));
    }

    mRingPlot->setVisible(r.hasRings);
    if (r.hasRings) {
        QVector<double> size, share, below, above;
        for (std::size_t k = 0; k < r.rings.sizes.size() && k < r.rings.fractions.size(); ++k) {
            const disorder::Estimate& f = r.rings.fractions[k];
            size.append(r.rings.sizes[k]);
            share.append(f.value);
            const bool interval = std::isfinite(f.ci.lo) && std::isfinite(f.ci.hi);
            below.append(interval ? std::max(0.0, f.value - f.ci.lo) : 0.0);
            above.append(interval ? std::max(0.0, f.ci.hi - f.value) : 0.0);
        }
        auto* bars = new QCPBars(mRingPlot->xAxis, mRingPlot->yAxis);
        bars->setName(tr("ring sizes"));
        bars->setWidth(0.7);
        bars->setBrush(QColor(70, 120, 190));
        bars->setPen(Qt::NoPen);
        bars->setData(size, share, true);
        auto* errors = new QCPErrorBars(mRingPlot->xAxis, mRingPlot->yAxis);
        errors->setDataPlottable(bars);
        errors->setData(below, above);
        errors->setPen(QPen(Qt::black));
        mRingPlot->xAxis->setRange(size.isEmpty() ? 2.5 : size.first() - 0.8, size.isEmpty() ? 9.5 : size.last() + 0.8);
        mRingPlot->yAxis->setRange(0.0, 1.05);
        QSharedPointer<QCPAxisTickerFixed> ticker(new QCPAxisTickerFixed);
        ticker->setTickStep(1.0);
        mRingPlot->xAxis->setTicker(ticker);
        mRingPlot->replot(QCustomPlot::rpQueuedReplot);
    }
    Q_EMIT reportShown();
}

} // namespace motifscope::ui
