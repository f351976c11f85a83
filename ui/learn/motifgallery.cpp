#include "ui/learn/motifgallery.h"

#include "ui/learn/motifgallerydelegate.h"
#include "ui/learn/motifgallerymodel.h"

#include <QColorDialog>
#include <QKeyEvent>
#include <QListView>
#include <QMenu>
#include <QToolBar>
#include <QVBoxLayout>

#include <algorithm>

namespace motifscope::ui {

MotifGallery::MotifGallery(QWidget* parent) : QWidget(parent)
{
    mModel = new MotifGalleryModel(this);
    mView = new QListView(this);
    mView->setModel(mModel);
    mView->setItemDelegate(new MotifGalleryDelegate(mView));
    mView->setViewMode(QListView::IconMode);
    mView->setFlow(QListView::LeftToRight);
    mView->setWrapping(true);
    mView->setResizeMode(QListView::Adjust);
    mView->setMovement(QListView::Static);
    mView->setUniformItemSizes(true);
    mView->setSpacing(4);
    mView->setSelectionMode(QAbstractItemView::ExtendedSelection);
    mView->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed);
    mView->setContextMenuPolicy(Qt::CustomContextMenu);
    mView->installEventFilter(this);

    auto* tools = new QToolBar(this);
    tools->setToolButtonStyle(Qt::ToolButtonTextOnly);
    mRenameAction = tools->addAction(tr("Rename"), this, &MotifGallery::renameCurrent);
    mRenameAction->setToolTip(tr("Rename the current motif (Enter or F2)"));
    mColourAction = tools->addAction(tr("Colour…"), this, &MotifGallery::recolourCurrent);
    mColourAction->setToolTip(tr("Choose the display colour of the current motif"));
    mMergeAction = tools->addAction(tr("Merge"), this, &MotifGallery::mergeSelected);
    mMergeAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_M));
    mMergeAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    mMergeAction->setToolTip(tr("Merge the selected motifs into one (Ctrl+M; Shift+arrows extend the selection)"));
    addAction(mMergeAction); // the shortcut works while the motif grid has the focus
    mSplitAction = tools->addAction(tr("Split"), this, &MotifGallery::splitCurrent);
    mSplitAction->setToolTip(tr("Split the current motif into sub-classes"));
    mAssignAction = tools->addAction(tr("Assign"), this, &MotifGallery::assignToCurrent);
    mAssignAction->setToolTip(tr("Give the columns selected on the image the current motif"));

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(tools);
    layout->addWidget(mView, 1);

    connect(mModel, &MotifGalleryModel::renameRequested, this, &MotifGallery::renameRequested);
    connect(mView->selectionModel(), &QItemSelectionModel::currentChanged, this, [this](const QModelIndex& current) {
        updateActions();
        Q_EMIT currentMotifChanged(current.isValid() ? current.data(MotifGalleryModel::IdRole).toInt() : -1);
    });
    connect(mView->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        updateActions();
        Q_EMIT selectedMotifsChanged(selectedMotifs());
    });
    connect(mView, &QWidget::customContextMenuRequested, this, &MotifGallery::showContextMenu);
    updateActions();
}

void MotifGallery::setMotifs(const QVector<MotifSummary>& motifs)
{
    const int current = currentMotif();
    const QVector<int> selected = selectedMotifs();
    {
        const QSignalBlocker block(mView->selectionModel());
        mModel->setMotifs(motifs);
        for (int id : selected)
            if (const int row = mModel->rowOf(id); row >= 0)
                mView->selectionModel()->select(mModel->index(row), QItemSelectionModel::Select);
        if (const int row = mModel->rowOf(current); row >= 0)
            mView->selectionModel()->setCurrentIndex(mModel->index(row), QItemSelectionModel::NoUpdate);
    }
    updateActions();
    if (currentMotif() != current)
        Q_EMIT currentMotifChanged(currentMotif());
}

const QVector<MotifSummary>& MotifGallery::motifs() const
{
    return mModel->motifs();
}

int MotifGallery::currentMotif() const
{
    const QModelIndex current = mView->currentIndex();
    return current.isValid() ? current.data(MotifGalleryModel::IdRole).toInt() : -1;
}

void MotifGallery::setCurrentMotif(int id)
{
    const int row = mModel->rowOf(id);
    if (row >= 0)
        mView->setCurrentIndex(mModel->index(row));
}

QVector<int> MotifGallery::selectedMotifs() const
{
    QModelIndexList rows = mView->selectionModel()->selectedIndexes();
    std::sort(rows.begin(), rows.end(), [](const QModelIndex& a, const QModelIndex& b) { return a.row() < b.row(); });
    QVector<int> ids;
    for (const QModelIndex& i : rows)
        ids.append(i.data(MotifGalleryModel::IdRole).toInt());
    return ids;
}

void MotifGallery::renameCurrent()
{
    const QModelIndex current = mView->currentIndex();
    if (current.isValid())
        mView->edit(current);
}

void MotifGallery::recolourCurrent()
{
    const QModelIndex current = mView->currentIndex();
    if (!current.isValid())
        return;
    const int id = current.data(MotifGalleryModel::IdRole).toInt();
    const QColor colour = QColorDialog::getColor(current.data(MotifGalleryModel::ColourRole).value<QColor>(), this,
                                                 tr("Colour of %1").arg(current.data(Qt::DisplayRole).toString()));
    if (!colour.isValid())
        return;
    mModel->setColour(id, colour);
    Q_EMIT recolourRequested(id, colour);
}

void MotifGallery::mergeSelected()
{
    const QVector<int> ids = selectedMotifs();
    if (ids.size() >= 2)
        Q_EMIT mergeRequested(ids);
}

void MotifGallery::splitCurrent()
{
    const int id = currentMotif();
    if (id >= 0)
        Q_EMIT splitRequested(id);
}

void MotifGallery::assignToCurrent()
{
    const int id = currentMotif();
    if (id >= 0)
        Q_EMIT assignRequested(id);
}

bool MotifGallery::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == mView && event->type() == QEvent::ShortcutOverride) {
        // Keys that mean "the motifs" here and "the columns" in the window: select all motifs, and
        // never delete image columns the user does not see from the gallery.
        auto* key = static_cast<QKeyEvent*>(event);
        if (key->matches(QKeySequence::SelectAll) || key->matches(QKeySequence::Delete)
            || (key->key() == Qt::Key_Backspace && key->modifiers() == Qt::NoModifier)) {
            key->accept();
            return true;
        }
    }
    if (watched == mView && event->type() == QEvent::KeyPress) { // an open editor gets the keys itself
        const auto* key = static_cast<QKeyEvent*>(event);
        if ((key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) && key->modifiers() == Qt::NoModifier) {
            renameCurrent();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void MotifGallery::updateActions()
{
    const bool hasCurrent = mView->currentIndex().isValid();
    mRenameAction->setEnabled(hasCurrent);
    mColourAction->setEnabled(hasCurrent);
    mSplitAction->setEnabled(hasCurrent);
    mAssignAction->setEnabled(hasCurrent);
    mMergeAction->setEnabled(mView->selectionModel()->selectedIndexes().size() >= 2);
}

void MotifGallery::showContextMenu(const QPoint& pos)
{
    const QModelIndex at = mView->indexAt(pos);
    if (!at.isValid())
        return;
    if (!mView->selectionModel()->isSelected(at))
        mView->setCurrentIndex(at);
    else
        mView->selectionModel()->setCurrentIndex(at, QItemSelectionModel::NoUpdate);
    QMenu menu(this);
    menu.addAction(mRenameAction);
    menu.addAction(mColourAction);
    menu.addSeparator();
    menu.addAction(mMergeAction);
    menu.addAction(mSplitAction);
    menu.addAction(mAssignAction);
    menu.exec(mView->viewport()->mapToGlobal(pos));
}

} // namespace motifscope::ui
