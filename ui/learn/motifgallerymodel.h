#pragma once
/** The list model behind the motif gallery: one row per motif, editable name. */

#include "ui/learn/motifsummary.h"

#include <QAbstractListModel>
#include <QImage>

namespace motifscope::ui {

/**
 * Rows = motifs in the order given. Display/Edit role = name, Decoration = the average patch as
 * a grey thumbnail (percentile contrast, nearest-neighbour enlarged), plus id, colour, count and
 * fraction roles. Editing the name records it and emits renameRequested; the owner of the motifs
 * decides and normally sends new summaries back.
 */
class MotifGalleryModel : public QAbstractListModel
{
    Q_OBJECT
public:
    enum Role
    {
        IdRole = Qt::UserRole + 1,
        ColourRole,
        CountRole,
        FractionRole,
    };
    static constexpr int kThumbnailSize = 96;

    explicit MotifGalleryModel(QObject* parent = nullptr);

    void setMotifs(const QVector<MotifSummary>& motifs);
    const QVector<MotifSummary>& motifs() const { return mMotifs; }
    /** Row of motif `id`, or -1. */
    int rowOf(int id) const;
    /** Shows `colour` for motif `id` until the next setMotifs(). */
    void setColour(int id, const QColor& colour);
    /** The thumbnail of row `row` (null without a patch). */
    QImage thumbnail(int row) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role) override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;

Q_SIGNALS:
    void renameRequested(int id, const QString& name);

private:
    QVector<MotifSummary> mMotifs;
    QVector<QImage> mThumbnails;
};

} // namespace motifscope::ui
