#include "ui/learn/motifgallerymodel.h"

#include "ui/learn/patchimage.h"

#include <algorithm>

namespace motifscope::ui {

MotifGalleryModel::MotifGalleryModel(QObject* parent) : QAbstractListModel(parent)
{
}

void MotifGalleryModel::setMotifs(const QVector<MotifSummary>& motifs)
{
    beginResetModel();
    mMotifs = motifs;
    mThumbnails.clear();
    for (const MotifSummary& m : mMotifs) {
        const int scale = std::max(1, (kThumbnailSize + m.patchSize - 1) / std::max(1, m.patchSize));
        QImage image = greyPatchImage(m.averagePatch, m.patchSize, scale);
        if (!image.isNull() && image.width() != kThumbnailSize)
            image = image.scaled(kThumbnailSize, kThumbnailSize, Qt::IgnoreAspectRatio, Qt::FastTransformation);
        mThumbnails.append(image);
    }
    endResetModel();
}

int MotifGalleryModel::rowOf(int id) const
{
    for (int r = 0; r < mMotifs.size(); ++r)
        if (mMotifs[r].id == id)
            return r;
    return -1;
}

void MotifGalleryModel::setColour(int id, const QColor& colour)
{
    const int row = rowOf(id);
    if (row < 0)
        return;
    mMotifs[row].colour = colour;
    Q_EMIT dataChanged(index(row), index(row), {ColourRole});
}

QImage MotifGalleryModel::thumbnail(int row) const
{
    return row >= 0 && row < mThumbnails.size() ? mThumbnails[row] : QImage();
}

int MotifGalleryModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(mMotifs.size());
}

QVariant MotifGalleryModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= mMotifs.size())
        return {};
    const MotifSummary& m = mMotifs[index.row()];
    switch (role) {
    case Qt::DisplayRole:
    case Qt::EditRole:
        return m.name;
    case Qt::DecorationRole:
        return mThumbnails[index.row()];
    case Qt::ToolTipRole:
        return tr("%1: %2 columns (%3 %)").arg(m.name).arg(m.count).arg(m.fraction * 100.0, 0, 'f', 1);
    case IdRole:
        return m.id;
    case ColourRole:
        return m.colour;
    case CountRole:
        return m.count;
    case FractionRole:
        return m.fraction;
    default:
        return {};
    }
}

bool MotifGalleryModel::setData(const QModelIndex& index, const QVariant& value, int role)
{
    if (!index.isValid() || index.row() >= mMotifs.size() || role != Qt::EditRole)
        return false;
    const QString name = value.toString().simplified();
    MotifSummary& m = mMotifs[index.row()];
    if (name.isEmpty() || name == m.name)
        return false;
    m.name = name;
    Q_EMIT dataChanged(index, index, {Qt::DisplayRole, Qt::EditRole});
    Q_EMIT renameRequested(m.id, name);
    return true;
}

Qt::ItemFlags MotifGalleryModel::flags(const QModelIndex& index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsEditable;
}

} // namespace motifscope::ui
