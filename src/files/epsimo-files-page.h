/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "epsimo-session.h"
#include "api/epsimo-project.h"
#include "epsimo-upload-queue.h"

G_BEGIN_DECLS

#define EPSIMO_TYPE_FILES_PAGE (epsimo_files_page_get_type ())

G_DECLARE_FINAL_TYPE (EpsimoFilesPage, epsimo_files_page, EPSIMO, FILES_PAGE, AdwBin)

/* The Files section of a project: its retrieval documents (per project on a reference
 * server, per assistant on the live backend, where an assistant picker sits at the top),
 * sortable and filterable, and the upload queue (at most 3 at once, each with progress,
 * Cancel and Retry). Files are added through the file chooser (files.upload, Ctrl+U) or by
 * dropping them on the page.
 *
 * Properties: "session" (EpsimoSession, nullable), "project" (EpsimoProject, nullable).
 * Actions: "files.upload", "files.delete" (the selected file, after a confirmation; Delete),
 * "files.refresh" (Ctrl+R). Uses "win.toast" (s) and "win.show-section" (s). */

GtkWidget         *epsimo_files_page_new          (void);

EpsimoSession     *epsimo_files_page_get_session  (EpsimoFilesPage *self);
void               epsimo_files_page_set_session  (EpsimoFilesPage *self,
                                                   EpsimoSession   *session);
EpsimoProject     *epsimo_files_page_get_project  (EpsimoFilesPage *self);
void               epsimo_files_page_set_project  (EpsimoFilesPage *self,
                                                   EpsimoProject   *project);

/* The session's uploads (NULL without a session): a GListModel of EpsimoUpload. */
EpsimoUploadQueue *epsimo_files_page_get_queue    (EpsimoFilesPage *self);

/**
 * epsimo_files_page_upload_files:
 * @files: a GListModel of GFile (e.g. from gtk_file_chooser_get_files(), or a GListStore
 *   filled from gdk_file_list_get_files() in a drop handler)
 * @assistant_id: (nullable): the assistant to attach the files to (the chat composer passes
 *   its thread's assistant); NULL: the assistant chosen on this page (live backend) or the
 *   project (reference servers, where files belong to the project whatever is passed)
 *
 * Queues @files for upload to the page's project, the same way as the file chooser and a
 * drop on the page do: they show in the page's upload queue while the page shows their
 * assistant, and join its list when done. Does nothing without a session and project.
 *
 * Returns: (transfer full) (element-type EpsimoUpload): the queued uploads (possibly none;
 *   the array holds a reference on each), to follow their "state" and progress
 */
GPtrArray         *epsimo_files_page_upload_files (EpsimoFilesPage *self,
                                                   GListModel      *files,
                                                   const char      *assistant_id);

G_END_DECLS
