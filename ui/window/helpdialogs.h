#pragma once
/** Help > User Guide (F1) and Help > Keyboard Shortcuts: the guide shipped in the program, every shortcut. */

#include <QList>
#include <QString>

class QAction;
class QDialog;
class QWidget;

namespace motifscope::ui {

/** docs/user-guide.md as built into the program (Markdown; "" when missing from the resources). */
QString userGuideMarkdown();

/** A window (not modal) showing the user guide, named "userGuideDialog"; its browser is "userGuide". */
QDialog* makeUserGuideDialog(QWidget* parent);

/** One line per action with a shortcut: "Zoom Out\tCtrl+-" (every key of it, menu '&' removed), sorted by name. */
QStringList shortcutLines(const QList<QAction*>& actions);

/** A window listing shortcutLines() of `actions` as a two-column table, named "shortcutsDialog". */
QDialog* makeShortcutsDialog(QWidget* parent, const QList<QAction*>& actions);

} // namespace motifscope::ui
