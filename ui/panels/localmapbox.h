#pragma once
/**
 * "Map on image" in the Disorder dock: which per-column measure colours the image (none, local
 * motif entropy, |psi_6|, |psi_4|) and its colour bar. Emits the map to draw; the figure export
 * draws the same map.
 */

#include "core/disorder/local_disorder.h"
#include "ui/views/columnvaluemap.h"

#include <QWidget>

class QComboBox;
class QLabel;

namespace motifscope::ui {

class LocalMapBox : public QWidget
{
    Q_OBJECT
public:
    enum class Measure
    {
        None,
        MotifEntropy,
        Psi6,
        Psi4,
    };

    explicit LocalMapBox(QWidget* parent = nullptr);

    QComboBox* measureBox() const { return mMeasure; }
    /** New per-column measures (of a document with `motifs` motifs): the map on show follows them. */
    void setLocal(disorder::LocalDisorder local, int motifs);
    void clear();
    /** The map of the chosen measure (empty for None or when the measure is not available). */
    const ColumnValueMap& currentMap() const { return mMap; }

Q_SIGNALS:
    void mapChanged(const motifscope::ui::ColumnValueMap& map);

private:
    void rebuild();

    QComboBox* mMeasure = nullptr;
    QLabel* mBar = nullptr;
    QLabel* mLow = nullptr;
    QLabel* mHigh = nullptr;
    QWidget* mScale = nullptr;
    QLabel* mNote = nullptr;
    disorder::LocalDisorder mLocal;
    int mMotifs = 0;
    ColumnValueMap mMap;
};

} // namespace motifscope::ui
