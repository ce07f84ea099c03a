/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define EPSIMO_TYPE_JSON_EDITOR (epsimo_json_editor_get_type ())

G_DECLARE_FINAL_TYPE (EpsimoJsonEditor, epsimo_json_editor, EPSIMO, JSON_EDITOR, AdwBin)

/* A JSON text editor (GtkSourceView: JSON highlighting, line numbers, the Adwaita style
 * scheme following dark mode) validated as the user types: the error, with its line and
 * column, shows under the text (alert role) and the frame turns red. Strict RFC 8259
 * (no single quotes, no leading zeros, no trailing commas, no duplicate names).
 *
 * Properties: "text" (string), "valid" (boolean, read-only), "error" (string, read-only,
 * translated, NULL while valid), "accessible-label" (string: what screen readers call the
 * text area; settable from a template).
 * Signal: ::changed (the text changed; "valid" and "error" are already up to date).
 * Action: "json-editor.format" (also in the text's context menu). */

/* An extra check run on a document that parses: returns a translated message
 * describing the problem, or NULL when the document is acceptable. */
typedef char *(*EpsimoJsonValidator) (JsonNode *node,
                                      gpointer  user_data);

GtkWidget  *epsimo_json_editor_new                  (void);
void        epsimo_json_editor_set_text             (EpsimoJsonEditor    *self,
                                                     const char          *text);
char       *epsimo_json_editor_dup_text             (EpsimoJsonEditor    *self);
void        epsimo_json_editor_set_node             (EpsimoJsonEditor    *self,
                                                     JsonNode            *node);
JsonNode   *epsimo_json_editor_dup_node             (EpsimoJsonEditor    *self);
gboolean    epsimo_json_editor_get_valid            (EpsimoJsonEditor    *self);
const char *epsimo_json_editor_get_error            (EpsimoJsonEditor    *self);
void        epsimo_json_editor_set_validator        (EpsimoJsonEditor    *self,
                                                     EpsimoJsonValidator  func,
                                                     gpointer             user_data,
                                                     GDestroyNotify       destroy);
void        epsimo_json_editor_format               (EpsimoJsonEditor    *self);
void        epsimo_json_editor_set_accessible_label (EpsimoJsonEditor    *self,
                                                     const char          *label);

G_END_DECLS
