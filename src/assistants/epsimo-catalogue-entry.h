/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "api/epsimo-tool.h"

G_BEGIN_DECLS

#define EPSIMO_TYPE_CATALOGUE_ENTRY (epsimo_catalogue_entry_get_type ())

G_DECLARE_FINAL_TYPE (EpsimoCatalogueEntry, epsimo_catalogue_entry, EPSIMO, CATALOGUE_ENTRY,
                      GObject)

typedef enum
{
  EPSIMO_TOOL_HEALTH_UNKNOWN,   /* not asked (built-in catalogue) or no answer yet */
  EPSIMO_TOOL_HEALTH_HEALTHY,
  EPSIMO_TOOL_HEALTH_UNHEALTHY,
} EpsimoToolHealth;

/* One choice of the Add Tool menu: a tool type from the server's catalogue or the
 * built-in one, or a preset ("preset:update_database", "preset:manage_task").
 *
 * Properties: "key", "title" and "description" (what the menu shows, translated for
 * built-in entries), "health" (EpsimoToolHealth as an int), "health-message". */

/* The built-in catalogue of wire-protocol.md, with the two presets. */
GListStore           *epsimo_catalogue_entry_new_builtin_list  (void);
/* Entries for the tools a server listed (EpsimoTool items), then the two presets. */
GListStore           *epsimo_catalogue_entry_new_list_from_tools (GPtrArray *tools);

const char           *epsimo_catalogue_entry_get_key            (EpsimoCatalogueEntry *self);
/* The tool type, NULL for a preset. */
const char           *epsimo_catalogue_entry_get_tool_type      (EpsimoCatalogueEntry *self);
const char           *epsimo_catalogue_entry_get_title          (EpsimoCatalogueEntry *self);
const char           *epsimo_catalogue_entry_get_description    (EpsimoCatalogueEntry *self);
EpsimoToolHealth      epsimo_catalogue_entry_get_health         (EpsimoCatalogueEntry *self);
const char           *epsimo_catalogue_entry_get_health_message (EpsimoCatalogueEntry *self);
void                  epsimo_catalogue_entry_set_health         (EpsimoCatalogueEntry *self,
                                                                 EpsimoToolHealth      health,
                                                                 const char           *message);
/* A new tool for this entry, as it goes to the server (names and descriptions in English:
 * the model reads them). */
EpsimoTool           *epsimo_catalogue_entry_create_tool        (EpsimoCatalogueEntry *self);

/* The user-visible name of a tool type ("DuckDuckGo Search"), translated; @type itself
 * for a type this version does not know. */
const char           *epsimo_catalogue_type_get_title           (const char           *type);

G_END_DECLS
