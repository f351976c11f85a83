// The main window's motif learning: the Learn panel, the embedding, gallery and features docks, and
// Analyze (the AnalysisController's sequence).
#include "ui/window/mainwindow.h"

#include "ui/detect/detectionpanel.h"
#include "ui/document/micrographdocument.h"
#include "ui/learn/embeddingplot.h"
#include "ui/learn/featurespanel.h"
#include "ui/learn/learnpanel.h"
#include "ui/learn/learnviews.h"
#include "ui/learn/motifgallery.h"
#include "ui/text/plural.h"
#include "ui/views/columnoverlay.h"
#include "ui/views/imageview.h"
#include "ui/window/analysiscontroller.h"
#include "ui/window/mainactions.h"

#include <QDockWidget>
#include <QScrollArea>
#include <QStatusBar>

namespace motifscope::ui {

namespace {

constexpr int kMessageTimeoutMs = 16000;

} // namespace

void MainWindow::wireLearning()
{
    mLearn = new LearnPanel;
    mLearn->setController(mAnalysis);
    mLearn->setDocument(mDocument);
    mFeatures = new FeaturesPanel;
    mFeatures->setObjectName(QStringLiteral("featuresPanel"));
    mLearn->setFeaturesPanel(mFeatures);
    mLearn->setColumnOverlay(mColumnOverlay); // "Shade by confidence" (wireColumnTools made it)
    mEmbedding = new EmbeddingPlot;
    mEmbedding->setObjectName(QStringLiteral("embeddingPlot"));
    mGallery = new MotifGallery;
    mGallery->setObjectName(QStringLiteral("motifGallery"));

    QDockWidget* detectionDock = findChild<QDockWidget*>(QStringLiteral("detectionDock"));
    QDockWidget* learnDock = addPanel(mLearn, tr("Learn"), QStringLiteral("learnDock"));
    if (detectionDock)
        tabifyDockWidget(detectionDock, learnDock);
    // Left: the map above the motifs, with the features of one column a tab away from them.
    QDockWidget* embeddingDock = addPanel(mEmbedding, tr("Map"), QStringLiteral("embeddingDock"));
    QDockWidget* galleryDock = addPanel(mGallery, tr("Motifs"), QStringLiteral("galleryDock"));
    // The features need more height than a small window has: they scroll rather than push the window taller.
    auto* featuresScroll = new QScrollArea;
    featuresScroll->setWidget(mFeatures);
    featuresScroll->setWidgetResizable(true);
    featuresScroll->setFrameShape(QFrame::NoFrame);
    featuresScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff); // the panel wraps to the dock's width
    QDockWidget* featuresDock = addPanel(featuresScroll, tr("Features"), QStringLiteral("featuresDock"));
    for (QDockWidget* dock : {embeddingDock, galleryDock, featuresDock})
        addDockWidget(Qt::LeftDockWidgetArea, dock);
    splitDockWidget(embeddingDock, galleryDock, Qt::Vertical);
    tabifyDockWidget(galleryDock, featuresDock);
    galleryDock->raise();
    resizeDocks({embeddingDock}, {360}, Qt::Horizontal);
    resizeDocks({embeddingDock, galleryDock}, {330, 450}, Qt::Vertical);
    if (detectionDock)
        detectionDock->raise();

    mLearnViews = new LearnViews(mDocument, mEmbedding, mGallery, mFeatures, mColumnOverlay, this);
    connect(mLearn, &LearnPanel::previewChanged, mLearnViews, &LearnViews::showPreview);
    connect(mLearn, &LearnPanel::previewEnded, mLearnViews, &LearnViews::endPreview);
    connect(mView, &ImageView::cursorMoved, mLearnViews, &LearnViews::showFeaturesNear);
    connect(mView, &ImageView::cursorLeft, mLearnViews, &LearnViews::showSelectedFeatures);

    connect(mLearn, &LearnPanel::statusMessage, this,
            [this](const QString& message) { statusBar()->showMessage(message, kMessageTimeoutMs); });
    connect(mLearn, &LearnPanel::learningFailed, this,
            [this](const QString& message) {
                reportError(tr("Motif learning failed"), tr("Motif learning failed: %1").arg(message));
            });
    connect(mLearn, &LearnPanel::busyChanged, this, [this, learnDock](bool busy) {
        if (busy)
            learnDock->raise();
        updateBusy();
    });
}

void MainWindow::learnMotifs()
{
    if (!mDocument->hasMicrograph() || mDocument->columns().empty())
        return;
    mLearn->run();
}

void MainWindow::requestAnalysis()
{
    if (!mDocument->hasMicrograph()) {
        statusBar()->showMessage(tr("Open a micrograph to analyse"), kMessageTimeoutMs);
        return;
    }
    if (!mDocument->columns().empty())
        statusBar()->showMessage(tr("Analyze: learning the motifs of your %1 (Detect Columns finds them anew)")
                                     .arg(columnCount((long long)mDocument->columns().size())),
                                 kMessageTimeoutMs);
    mAnalysis->analyze(mDetection->request(), mLearn->request());
}

} // namespace motifscope::ui
