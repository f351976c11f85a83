#pragma once
/** What the file says about the open micrograph: size, type, calibration, statistics, metadata. */

#include <QPointer>
#include <QWidget>

class QTreeWidget;

namespace motifscope::ui {

class MicrographDocument;

/** A read-only property tree that follows the document's micrograph. */
class ImageInfoPanel : public QWidget
{
    Q_OBJECT
public:
    explicit ImageInfoPanel(QWidget* parent = nullptr);

    void setDocument(MicrographDocument* document);
    QTreeWidget* tree() const { return mTree; }

private:
    void refresh();

    QPointer<MicrographDocument> mDocument;
    QTreeWidget* mTree = nullptr;
};

} // namespace motifscope::ui
