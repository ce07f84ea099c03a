/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Sets the string @key to @value unless it already is. Where the user left off (the last
 * account, project and thread) is written again each start with what was just read: each
 * write is a call to dconf (with the keyfile backend, a file rewritten and synced), and a
 * change signal, for nothing. */
void epsimo_settings_remember (GSettings  *settings,
                               const char *key,
                               const char *value);

G_END_DECLS
