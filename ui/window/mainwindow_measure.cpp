// The main window's measuring tools (issue 16 point 11): the line tool with its Profile dock and
// the Results dock (every column in a sortable table linked to the selection), the Disorder dock.
#include "ui/window/mainwindow.h"

#include "ui/document/micrographdocument.h"
#include "ui/panels/columntable.h"
#include "ui/panels/disorderpanel.h"
#include "ui/panels/localmapbox.h"
#include "ui/panels/profilepanel.h"
#include "ui/tools/linetool.h"
#include "ui/views/imageview.h"
#include "ui/views/localdisorderoverlay.h"
#include "ui/window/mainactions.h"

#include <QAction>
#include <QDockWidget>

namespace motifscope::ui {

void MainWindow::wireMeasuring()
{
    mLineTool = new LineTool(mDocument, this);
    auto* profile = new ProfilePanel(mDocument, mLineTool);
    QDockWidget* profileDock = addPanel(profile, tr("Profile"), QStringLiteral("profileDock"));
    // Results: every column in a sortable table, a tab beside the motifs.
    auto* results = new ColumnTablePanel;
    results->setDocument(mDocument);
    QDockWidget* resultsDock = addPanel(results, tr("Results"), QStringLiteral("resultsDock"));
    // Disorder: the measures of disorder.json with their intervals and the ring-size distribution.
    auto* disorder = new DisorderPanel(mDocument);
    QDockWidget* disorderDock = addPanel(disorder, tr("Disorder"), QStringLiteral("disorderDock"));
    connect(disorder->mapBox(), &LocalMapBox::mapChanged, mLocalDisorderOverlay, &LocalDisorderOverlay::setMap);
    if (QDockWidget* gallery = findChild<QDockWidget*>(QStringLiteral("galleryDock"))) {
        addDockWidget(Qt::LeftDockWidgetArea, resultsDock);
        addDockWidget(Qt::LeftDockWidgetArea, profileDock);
        addDockWidget(Qt::LeftDockWidgetArea, disorderDock);
        tabifyDockWidget(gallery, resultsDock);
        tabifyDockWidget(gallery, profileDock);
        tabifyDockWidget(gallery, disorderDock);
        gallery->raise();
    }
    connect(mActions->measureLine, &QAction::toggled, this, [this, profileDock](bool on) {
        if (on) {
            mActions->editColumns->setChecked(false);
            mView->setTool(mLineTool);
            mView->setFocus();
            profileDock->raise();
        } else if (mView->tool() == mLineTool) {
            mView->setTool(nullptr);
        }
    });
    connect(mActions->editColumns, &QAction::toggled, this, [this](bool on) {
        if (on)
            mActions->measureLine->setChecked(false);
    });
}

} // namespace motifscope::ui
