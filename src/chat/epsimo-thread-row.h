/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "api/epsimo-thread.h"

G_BEGIN_DECLS

#define EPSIMO_TYPE_THREAD_ROW (epsimo_thread_row_get_type ())

G_DECLARE_FINAL_TYPE (EpsimoThreadRow, epsimo_thread_row, EPSIMO, THREAD_ROW, GtkWidget)

/* A row of the threads list: the thread's name, its assistant and last activity, a dot
 * while a reply is unread, and a Delete button ("chat.delete-thread" with the id). */

GtkWidget    *epsimo_thread_row_new            (void);
/* Binds @thread (NULL unbinds); @assistant_name may be NULL (not known yet). */
void          epsimo_thread_row_set_thread     (EpsimoThreadRow *self,
                                                EpsimoThread    *thread,
                                                const char      *assistant_name);
EpsimoThread *epsimo_thread_row_get_thread     (EpsimoThreadRow *self);
void          epsimo_thread_row_set_unread     (EpsimoThreadRow *self,
                                                gboolean         unread);
gboolean      epsimo_thread_row_get_unread     (EpsimoThreadRow *self);

G_END_DECLS
