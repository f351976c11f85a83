// The main window's motif hierarchy: the job, the Hierarchy dock (tree + export) and the overlay
// outlining the chosen node's occurrences, with the motif layer (View > Motif Layer).
#include "ui/window/mainwindow.h"

#include "ui/detect/detectionpanel.h"
#include "ui/document/micrographdocument.h"
#include "ui/learn/learnpanel.h"
#include "ui/hierarchy/hierarchyoccurrences.h"
#include "ui/hierarchy/hierarchytreeview.h"
#include "ui/hierarchy/nodenames.h"
#include "ui/jobs/hierarchyjob.h"
#include "ui/learn/motifcolours.h"
#include "ui/text/hint.h"
#include "ui/text/units.h"
#include "ui/views/hierarchyoverlay.h"
#include "ui/views/imageview.h"
#include "ui/window/analysiscontroller.h"
#include "ui/window/mainactions.h"

#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QPushButton>
#include <QStatusBar>
#include <QTimer>
#include <QVBoxLayout>

#include <memory>

namespace motifscope::ui {

namespace {

constexpr int kMessageTimeoutMs = 16000;

std::vector<Point2> pointsOf(const AtomColumns& columns)
{
    std::vector<Point2> points;
    points.reserve(columns.size());
    for (const AtomColumn& c : columns)
        points.push_back(Point2{c.x, c.y});
    return points;
}

} // namespace

void MainWindow::wireHierarchy()
{
    mHierarchyOverlay = new HierarchyOverlay(this);
    mView->addOverlay(mHierarchyOverlay);
    // The motif layer's toggle goes into the View menu, after the columns' toggle; the menus are
    // built after the panels are wired, so once the constructor is done.
    QTimer::singleShot(0, this, [this] {
        for (QObject* owner : mActions->showColumns->associatedObjects())
            if (auto* menu = qobject_cast<QMenu*>(owner)) {
                const QList<QAction*> entries = menu->actions();
                const qsizetype at = entries.indexOf(mActions->showColumns);
                menu->insertAction(at + 1 < entries.size() ? entries[at + 1] : nullptr,
                                   mHierarchyOverlay->motifLayerAction());
                break;
            }
    });

    auto* panel = new QWidget;
    panel->setObjectName(QStringLiteral("hierarchyPanel"));
    mHierarchyView = new HierarchyTreeView;
    mHierarchyView->setObjectName(QStringLiteral("hierarchyView"));
    auto* summary = new QLabel(tr("Build the hierarchy to see how the columns' rings compose."));
    summary->setObjectName(QStringLiteral("hierarchySummary"));
    summary->setWordWrap(true);
    auto* exportButton = new QPushButton(tr("Export tree…"));
    exportButton->setObjectName(QStringLiteral("exportHierarchyButton"));
    setHint(exportButton, tr("Save the hierarchy tree as it is drawn here, as an SVG drawing or a PNG image"));
    exportButton->setEnabled(false);
    auto* row = new QHBoxLayout;
    row->addWidget(summary, 1);
    row->addWidget(exportButton);
    auto* layout = new QVBoxLayout(panel);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(mHierarchyView, 1);
    layout->addLayout(row);

    QDockWidget* dock = addPanel(panel, tr("Hierarchy"), QStringLiteral("hierarchyDock"));
    addDockWidget(Qt::LeftDockWidgetArea, dock);
    if (QDockWidget* gallery = findChild<QDockWidget*>(QStringLiteral("galleryDock"))) {
        tabifyDockWidget(gallery, dock);
        gallery->raise();
    }

    connect(mActions->buildHierarchy, &QAction::triggered, this, &MainWindow::buildHierarchy);
    connect(exportButton, &QPushButton::clicked, this, &MainWindow::showExportHierarchyDialog);
    connect(mHierarchyView, &HierarchyTreeView::nodeActivated, this, &MainWindow::showHierarchyNode);
    // What an empty tree says follows the columns: no "detect columns" when there are some; after an
    // edit made the hierarchy stale, the summary says so until it is built again.
    const QString staleText = tr("The hierarchy was cleared because the columns or motifs changed; build it again "
                                 "with Analysis > Build Hierarchy (Ctrl+H).");
    auto hadHierarchy = std::make_shared<bool>(false);
    auto stale = std::make_shared<bool>(false);
    const auto updateEmptyText = [this, summary, stale, staleText] {
        const bool noColumns = mDocument->columns().empty();
        const QString text = noColumns ? tr("No hierarchy yet: detect columns, then build the hierarchy.")
                                       : tr("No hierarchy yet: build it (Analysis > Build Hierarchy, Ctrl+H) to see "
                                            "how the columns' rings compose.");
        mHierarchyView->setEmptyText(text);
        *stale = *stale && !noColumns;
        if (!mDocument->hierarchy())
            summary->setText(*stale ? staleText : text);
    };
    // The route and bond cut-off, the cut-off in the image's scale when it has one.
    const auto describeHierarchy = [this, summary] {
        if (const auto h = mDocument->hierarchy())
            summary->setText(tr("Route: %1, %2 levels, bond cut-off %3")
                                 .arg(QString::fromStdString(h->route))
                                 .arg(h->levels.size())
                                 .arg(lengthText(h->bondCutoff, mDocument->micrograph().calibration, 1)));
    };
    connect(mDocument, &MicrographDocument::columnsChanged, this, updateEmptyText);
    connect(mDocument, &MicrographDocument::motifsChanged, this,
            [this] { mHierarchyView->setMotifNames(motifNamesOf(mDocument->motifTable())); });
    connect(mDocument, &MicrographDocument::calibrationChanged, this, describeHierarchy);
    connect(mDocument, &MicrographDocument::hierarchyChanged, this,
            [this, exportButton, updateEmptyText, describeHierarchy, hadHierarchy, stale, staleText] {
        const auto h = mDocument->hierarchy();
        exportButton->setEnabled(h != nullptr);
        // An edit of the columns or motifs made the hierarchy stale: say so rather than let it vanish.
        *stale = !h && *hadHierarchy && !mDocument->columns().empty();
        if (*stale)
            statusBar()->showMessage(staleText, kMessageTimeoutMs);
        updateEmptyText();
        describeHierarchy();
        *hadHierarchy = h != nullptr;
        onHierarchyChanged();
    });
    // The controller applies a hierarchy that still describes the columns; a new image stops the job.
    connect(mAnalysis, &AnalysisController::hierarchyApplied, this, [this, dock](const HierarchyOutcome& outcome) {
        dock->raise();
        statusBar()->showMessage(tr("Built the hierarchy (%1) in %2 s")
                                     .arg(QString::fromStdString(outcome.result->route))
                                     .arg(outcome.seconds, 0, 'f', 1),
                                 kMessageTimeoutMs);
    });
    connect(hierarchyJob(), &HierarchyJob::failed, this, [this](const QString& message) {
        reportError(tr("Hierarchy failed"), tr("Building the hierarchy failed: %1").arg(message));
    });
    connect(hierarchyJob(), &HierarchyJob::busyChanged, this, &MainWindow::updateBusy);
}

HierarchyJob* MainWindow::hierarchyJob() const
{
    return mAnalysis->hierarchyJob();
}

void MainWindow::buildHierarchy()
{
    mAnalysis->buildHierarchy();
}

void MainWindow::onHierarchyChanged()
{
    mHierarchyOverlay->clear();
    const auto h = mDocument->hierarchy();
    if (!h) {
        mHierarchyOverlay->clearMotifShapes();
        mHierarchyView->clear();
        return;
    }
    mHierarchyView->setMotifNames(motifNamesOf(mDocument->motifTable()));
    mHierarchyView->setHierarchy(*h, pointsOf(mDocument->columns()));
    // The motif layer: rings or cells in their level-1 colour (the tree's), pristine cells faint.
    MotifShapes shapes = hierarchyMotifShapes(*h, mDocument->columns());
    QVector<QColor> colours;
    colours.reserve(shapes.motif.size());
    const bool cells = h->route == "cells";
    for (int motif : shapes.motif) {
        QColor colour = motifDisplayColour(motif);
        colour.setAlpha(cells && motif == 0 ? 35 : 110);
        colours.append(colour);
    }
    mHierarchyOverlay->setMotifShapes(std::move(shapes.shapes), std::move(colours));
}

void MainWindow::showHierarchyNode(const QString& id)
{
    const auto h = mDocument->hierarchy();
    if (!h || id.isEmpty()) {
        mHierarchyOverlay->clear();
        return;
    }
    QVector<QPolygonF> outlines = hierarchyOccurrences(*h, mDocument->columns(), id);
    statusBar()->showMessage(tr("%1: %2 outlined").arg(id).arg(outlines.size()), kMessageTimeoutMs);
    mHierarchyOverlay->setOccurrences(id, std::move(outlines));
}

bool MainWindow::exportHierarchyTo(const QString& path)
{
    if (!mDocument->hierarchy())
        return false;
    QString error;
    const bool svg = path.endsWith(QStringLiteral(".svg"), Qt::CaseInsensitive);
    const bool ok = svg ? mHierarchyView->exportSvg(path, &error) : mHierarchyView->exportPng(path, 150.0, &error);
    if (!ok) {
        reportError(tr("Could not export the tree"), error.isEmpty() ? tr("Could not write %1").arg(path) : error);
        return false;
    }
    statusBar()->showMessage(tr("Saved the hierarchy tree to %1").arg(QFileInfo(path).fileName()), kMessageTimeoutMs);
    return true;
}

void MainWindow::showExportHierarchyDialog()
{
    QString suggestion;
    if (!mDocument->filePath().isEmpty()) {
        const QFileInfo info(mDocument->filePath());
        suggestion = info.absoluteDir().filePath(info.completeBaseName() + QStringLiteral("_hierarchy.svg"));
    }
    const QString path = QFileDialog::getSaveFileName(this, tr("Export Tree"), suggestion,
                                                      tr("SVG drawing (*.svg);;PNG image (*.png)"));
    if (!path.isEmpty())
        exportHierarchyTo(path);
}

} // namespace motifscope::ui
