/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* How the process uses memory, set once at its start, before GTK's: see epsimo-memory.c. */
void epsimo_memory_prepare (void);

G_END_DECLS
