/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-project-overview"

#include "config.h"

#include <glib/gi18n.h>

#include "widgets/epsimo-error-banner.h"

#include "epsimo-project-delete-dialog.h"
#include "epsimo-project-dialog.h"
#include "epsimo-project-overview.h"

/* A count still being fetched, or one that could not be. */
#define COUNTING (-1)
#define FAILED   (-2)

struct _EpsimoProjectOverview
{
  AdwBin             parent_instance;

  EpsimoSession     *session;
  EpsimoProject     *project;
  /* Cancelled in dispose and when the session changes. */
  GCancellable      *cancellable;
  /* The counting in flight, replaced by a newer one. */
  GCancellable      *load_cancellable;

  int                n_assistants;
  int                n_threads;
  int                n_files;
  EpsimoDialect      dialect;
  GPtrArray         *assistant_ids;     /* for the live dialect's files */
  gboolean           files_wait;        /* live: the files wait for the assistants */
  guint              files_pending;
  int                files_sum;
  gboolean           files_failed;

  GtkStack          *stack;
  EpsimoErrorBanner *banner;
  GtkLabel          *name_label;
  GtkLabel          *description_label;
  GtkLabel          *created_label;
  GtkWidget         *edit_button;
  GtkWidget         *delete_button;
  AdwActionRow      *assistants_row;
  GtkButton         *assistants_button;
  AdwActionRow      *threads_row;
  GtkButton         *threads_button;
  AdwActionRow      *files_row;
  GtkButton         *files_button;
};

G_DEFINE_FINAL_TYPE (EpsimoProjectOverview, epsimo_project_overview, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_PROJECT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
update_details (EpsimoProjectOverview *self)
{
  const char *description;
  GDateTime *created;

  if (self->project == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "none");
      return;
    }

  gtk_stack_set_visible_child_name (self->stack, "project");
  gtk_label_set_text (self->name_label, epsimo_project_get_name (self->project));

  description = epsimo_project_get_description (self->project);
  if (description != NULL && *description != '\0')
    {
      gtk_label_set_text (self->description_label, description);
      gtk_widget_remove_css_class (GTK_WIDGET (self->description_label), "dim-label");
    }
  else
    {
      gtk_label_set_text (self->description_label, _("No description"));
      gtk_widget_add_css_class (GTK_WIDGET (self->description_label), "dim-label");
    }

  created = epsimo_project_get_created_at (self->project);
  if (created != NULL)
    {
      g_autoptr(GDateTime) local = g_date_time_to_local (created);
      /* %x: the date as the user's locale writes it. */
      g_autofree char *date = local != NULL ? g_date_time_format (local, "%x") : NULL;
      g_autofree char *text = date != NULL ? g_strdup_printf (_("Created on %s"), date) : NULL;

      gtk_label_set_text (self->created_label, text != NULL ? text : "");
      gtk_widget_set_visible (GTK_WIDGET (self->created_label), text != NULL);
    }
  else
    gtk_widget_set_visible (GTK_WIDGET (self->created_label), FALSE);

  gtk_widget_set_sensitive (self->edit_button, self->session != NULL);
  gtk_widget_set_sensitive (self->delete_button, self->session != NULL);
}

/* One row of the Contents group: what it holds, and the button to see or fill it. */
static void
update_row (AdwActionRow *row,
            GtkButton    *button,
            int           count,
            const char   *counted,
            const char   *empty,
            const char   *open_label,
            const char   *create_label,
            gboolean      suggest)
{
  const char *subtitle;

  if (count == COUNTING)
    subtitle = _("Counting…");
  else if (count == FAILED)
    subtitle = _("Could not be counted");
  else if (count == 0)
    subtitle = empty;
  else
    subtitle = counted;

  adw_action_row_set_subtitle (row, subtitle);
  gtk_widget_set_visible (GTK_WIDGET (button), count != COUNTING);
  gtk_button_set_label (button, count == 0 ? create_label : open_label);
  /* The first assistant is what the rest of a project needs: that one stands out. */
  if (count == 0 && suggest)
    gtk_widget_add_css_class (GTK_WIDGET (button), "suggested-action");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (button), "suggested-action");
}

static void
update_counts (EpsimoProjectOverview *self)
{
  g_autofree char *assistants = NULL;
  g_autofree char *threads = NULL;
  g_autofree char *files = NULL;
  const char *no_files;

  assistants = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d assistant", "%d assistants",
                                             MAX (self->n_assistants, 0)),
                                self->n_assistants);
  threads = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d thread", "%d threads",
                                          MAX (self->n_threads, 0)),
                             self->n_threads);
  /* The live backend keeps files per assistant, the reference API per project: say which
   * was counted. */
  if (self->dialect == EPSIMO_DIALECT_LIVE)
    {
      files = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "%d file attached to the project’s assistants",
                                            "%d files attached to the project’s assistants",
                                            MAX (self->n_files, 0)),
                               self->n_files);
      no_files = _("No files attached to the project’s assistants yet");
    }
  else
    {
      files = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d file", "%d files",
                                            MAX (self->n_files, 0)),
                               self->n_files);
      no_files = _("No files yet");
    }

  update_row (self->assistants_row, self->assistants_button, self->n_assistants,
              assistants, _("No assistants yet"), _("Open _Assistants"),
              _("Create _Assistant"), TRUE);
  update_row (self->threads_row, self->threads_button, self->n_threads,
              threads, _("No threads yet"), _("Open _Chat"), _("_New Thread"),
              FALSE);
  update_row (self->files_row, self->files_button, self->n_files,
              files, no_files, _("Open _Files"), _("_Add Files"),
              FALSE);
}

static void
count_failed (EpsimoProjectOverview *self,
              const GError          *error)
{
  g_autofree char *message = NULL;

  /* The first failure explains; Retry counts everything again. */
  if (epsimo_error_banner_get_revealed (self->banner))
    return;

  message = g_strdup_printf (_("Could not count everything in this project: %s"),
                             error->message);
  epsimo_error_banner_set_message (self->banner, message);
  epsimo_error_banner_reveal (self->banner);
}

static void
live_files_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  EpsimoProjectOverview *self = user_data;
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GError) error = NULL;

  files = epsimo_files_service_list_finish (EPSIMO_FILES_SERVICE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (files != NULL)
    self->files_sum += files->len;
  else
    {
      self->files_failed = TRUE;
      count_failed (self, error);
    }

  if (--self->files_pending > 0)
    return;

  self->n_files = self->files_failed ? FAILED : self->files_sum;
  update_counts (self);
}

static void
count_live_files (EpsimoProjectOverview *self)
{
  EpsimoFilesService *service = epsimo_session_get_files (self->session);

  self->files_wait = FALSE;
  self->files_sum = 0;
  self->files_failed = FALSE;
  self->files_pending = self->assistant_ids->len;

  if (self->files_pending == 0)
    {
      self->n_files = 0;
      update_counts (self);
      return;
    }

  for (guint i = 0; i < self->assistant_ids->len; i++)
    epsimo_files_service_list_async (service, epsimo_project_get_id (self->project),
                                     g_ptr_array_index (self->assistant_ids, i),
                                     self->load_cancellable, live_files_cb, self);
}

static void
files_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  EpsimoProjectOverview *self = user_data;
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GError) error = NULL;

  files = epsimo_files_service_list_finish (EPSIMO_FILES_SERVICE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (files == NULL)
    count_failed (self, error);
  self->n_files = files != NULL ? (int) files->len : FAILED;
  update_counts (self);
}

static void
dialect_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  EpsimoProjectOverview *self = user_data;
  g_autoptr(GError) error = NULL;
  EpsimoDialect dialect;

  dialect = epsimo_auth_service_ensure_dialect_finish (EPSIMO_AUTH_SERVICE (source),
                                                       result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (dialect == EPSIMO_DIALECT_UNKNOWN)
    {
      count_failed (self, error);
      self->n_files = FAILED;
      update_counts (self);
      return;
    }

  self->dialect = dialect;
  if (dialect == EPSIMO_DIALECT_LIVE)
    {
      /* Files hang off assistants there: count them once the assistants are known. */
      if (self->n_assistants >= 0)
        count_live_files (self);
      else if (self->n_assistants == FAILED)
        self->n_files = FAILED;
      else
        self->files_wait = TRUE;
    }
  else
    epsimo_files_service_list_async (epsimo_session_get_files (self->session),
                                     epsimo_project_get_id (self->project), NULL,
                                     self->load_cancellable, files_cb, self);
  update_counts (self);
}

static void
assistants_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  EpsimoProjectOverview *self = user_data;
  g_autoptr(GPtrArray) assistants = NULL;
  g_autoptr(GError) error = NULL;

  assistants = epsimo_assistants_service_list_finish (EPSIMO_ASSISTANTS_SERVICE (source),
                                                      result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_ptr_array_set_size (self->assistant_ids, 0);
  if (assistants == NULL)
    {
      count_failed (self, error);
      self->n_assistants = FAILED;
      if (self->files_wait)
        {
          self->files_wait = FALSE;
          self->n_files = FAILED;
        }
      update_counts (self);
      return;
    }

  for (guint i = 0; i < assistants->len; i++)
    {
      const char *id = epsimo_assistant_get_id (g_ptr_array_index (assistants, i));

      if (id != NULL)
        g_ptr_array_add (self->assistant_ids, g_strdup (id));
    }
  self->n_assistants = assistants->len;
  if (self->files_wait)
    count_live_files (self);
  update_counts (self);
}

static void
threads_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  EpsimoProjectOverview *self = user_data;
  g_autoptr(GPtrArray) threads = NULL;
  g_autoptr(GError) error = NULL;

  threads = epsimo_threads_service_list_finish (EPSIMO_THREADS_SERVICE (source),
                                                result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (threads == NULL)
    count_failed (self, error);
  self->n_threads = threads != NULL ? (int) threads->len : FAILED;
  update_counts (self);
}

static void
cancel_load (EpsimoProjectOverview *self)
{
  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
}

void
epsimo_project_overview_reload (EpsimoProjectOverview *self)
{
  const char *project_id;

  g_return_if_fail (EPSIMO_IS_PROJECT_OVERVIEW (self));

  cancel_load (self);
  epsimo_error_banner_hide (self->banner);
  if (self->session == NULL || self->project == NULL
      || epsimo_project_get_id (self->project) == NULL)
    return;

  project_id = epsimo_project_get_id (self->project);
  self->load_cancellable = g_cancellable_new ();
  self->n_assistants = self->n_threads = self->n_files = COUNTING;
  self->files_wait = FALSE;
  self->dialect = epsimo_client_get_dialect (epsimo_session_get_client (self->session));
  update_counts (self);

  epsimo_assistants_service_list_async (epsimo_session_get_assistants (self->session),
                                        project_id, self->load_cancellable,
                                        assistants_cb, self);
  epsimo_threads_service_list_async (epsimo_session_get_threads (self->session),
                                     project_id, self->load_cancellable, threads_cb, self);
  epsimo_auth_service_ensure_dialect_async (epsimo_session_get_auth (self->session),
                                            self->load_cancellable, dialect_cb, self);
}

static void
on_banner_retry (EpsimoProjectOverview *self)
{
  epsimo_project_overview_reload (self);
}

static void
show_section (EpsimoProjectOverview *self,
              const char            *section,
              int                    count,
              const char            *create_action)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.show-section", "s", section);
  /* Nothing there yet: go straight to making the first one, where the page offers it
   * (activating an action no ancestor has does nothing). */
  if (count == 0)
    gtk_widget_activate_action (GTK_WIDGET (self), create_action, NULL);
}

static void
on_assistants_clicked (EpsimoProjectOverview *self)
{
  show_section (self, "assistants", self->n_assistants, "assistants.new");
}

static void
on_threads_clicked (EpsimoProjectOverview *self)
{
  show_section (self, "chat", self->n_threads, "chat.new-thread");
}

static void
on_files_clicked (EpsimoProjectOverview *self)
{
  show_section (self, "files", self->n_files, "files.upload");
}

static void
on_project_saved (EpsimoProjectOverview *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.refresh-projects", NULL);
}

static void
on_edit_clicked (EpsimoProjectOverview *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog;

  if (self->session == NULL || self->project == NULL)
    return;

  dialog = epsimo_project_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                      self->session, self->project);
  g_signal_connect_object (dialog, "saved", G_CALLBACK (on_project_saved), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
delete_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  EpsimoProjectOverview *self = user_data;
  g_autoptr(GError) error = NULL;

  /* Declined or cancelled: nothing changed, and @self may be gone. */
  if (!epsimo_project_delete_flow_finish (result, &error)
      && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* Deleted or not (the toast said which), the list shows what the server has. */
  gtk_widget_activate_action (GTK_WIDGET (self), "win.refresh-projects", NULL);
}

static void
on_delete_clicked (EpsimoProjectOverview *self)
{
  if (self->session == NULL || self->project == NULL)
    return;

  epsimo_project_delete_flow_async (GTK_WIDGET (self), self->session, self->project,
                                    self->cancellable, delete_cb, self);
}

static void
epsimo_project_overview_map (GtkWidget *widget)
{
  EpsimoProjectOverview *self = EPSIMO_PROJECT_OVERVIEW (widget);

  GTK_WIDGET_CLASS (epsimo_project_overview_parent_class)->map (widget);

  /* Back on the page after working in another section: count again, unless already
   * counting. */
  if (self->load_cancellable == NULL
      || (self->n_assistants != COUNTING && self->n_threads != COUNTING
          && self->n_files != COUNTING))
    epsimo_project_overview_reload (self);
}

static void
reset (EpsimoProjectOverview *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  cancel_load (self);
}

static void
epsimo_project_overview_dispose (GObject *object)
{
  EpsimoProjectOverview *self = EPSIMO_PROJECT_OVERVIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  cancel_load (self);
  if (self->project != NULL)
    g_signal_handlers_disconnect_by_data (self->project, self);
  g_clear_object (&self->project);
  g_clear_object (&self->session);
  g_clear_pointer (&self->assistant_ids, g_ptr_array_unref);

  G_OBJECT_CLASS (epsimo_project_overview_parent_class)->dispose (object);
}

static void
epsimo_project_overview_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  EpsimoProjectOverview *self = EPSIMO_PROJECT_OVERVIEW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_PROJECT:
      g_value_set_object (value, self->project);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
epsimo_project_overview_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  EpsimoProjectOverview *self = EPSIMO_PROJECT_OVERVIEW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      epsimo_project_overview_set_session (self, g_value_get_object (value));
      break;
    case PROP_PROJECT:
      epsimo_project_overview_set_project (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
epsimo_project_overview_class_init (EpsimoProjectOverviewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = epsimo_project_overview_dispose;
  object_class->get_property = epsimo_project_overview_get_property;
  object_class->set_property = epsimo_project_overview_set_property;
  widget_class->map = epsimo_project_overview_map;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, EPSIMO_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROJECT] =
    g_param_spec_object ("project", NULL, NULL, EPSIMO_TYPE_PROJECT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (EPSIMO_TYPE_ERROR_BANNER);
  gtk_widget_class_set_template_from_resource (
    widget_class, "/com/epsimoagents/Desktop/projects/epsimo-project-overview.ui");
  gtk_widget_class_bind_template_child (widget_class, EpsimoProjectOverview, stack);
  gtk_widget_class_bind_template_child (widget_class, EpsimoProjectOverview, banner);
  gtk_widget_class_bind_template_child (widget_class, EpsimoProjectOverview, name_label);
  gtk_widget_class_bind_template_child (widget_class, EpsimoProjectOverview, description_label);
  gtk_widget_class_bind_template_child (widget_class, EpsimoProjectOverview, created_label);
  gtk_widget_class_bind_template_child (widget_class, EpsimoProjectOverview, edit_button);
  gtk_widget_class_bind_template_child (widget_class, EpsimoProjectOverview, delete_button);
  gtk_widget_class_bind_template_child (widget_class, EpsimoProjectOverview, assistants_row);
  gtk_widget_class_bind_template_child (widget_class, EpsimoProjectOverview, assistants_button);
  gtk_widget_class_bind_template_child (widget_class, EpsimoProjectOverview, threads_row);
  gtk_widget_class_bind_template_child (widget_class, EpsimoProjectOverview, threads_button);
  gtk_widget_class_bind_template_child (widget_class, EpsimoProjectOverview, files_row);
  gtk_widget_class_bind_template_child (widget_class, EpsimoProjectOverview, files_button);
  gtk_widget_class_bind_template_callback (widget_class, on_banner_retry);
  gtk_widget_class_bind_template_callback (widget_class, on_edit_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_delete_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_assistants_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_threads_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_files_clicked);
}

static void
epsimo_project_overview_init (EpsimoProjectOverview *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->assistant_ids = g_ptr_array_new_with_free_func (g_free);
  self->n_assistants = self->n_threads = self->n_files = COUNTING;
  update_details (self);
  update_counts (self);
}

GtkWidget *
epsimo_project_overview_new (void)
{
  return g_object_new (EPSIMO_TYPE_PROJECT_OVERVIEW, NULL);
}

EpsimoSession *
epsimo_project_overview_get_session (EpsimoProjectOverview *self)
{
  g_return_val_if_fail (EPSIMO_IS_PROJECT_OVERVIEW (self), NULL);

  return self->session;
}

void
epsimo_project_overview_set_session (EpsimoProjectOverview *self,
                                     EpsimoSession         *session)
{
  g_return_if_fail (EPSIMO_IS_PROJECT_OVERVIEW (self));
  g_return_if_fail (session == NULL || EPSIMO_IS_SESSION (session));

  if (!g_set_object (&self->session, session))
    return;

  reset (self);
  /* A project belongs to one account: nothing of it stays with another session. */
  epsimo_project_overview_set_project (self, NULL);
  update_details (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

EpsimoProject *
epsimo_project_overview_get_project (EpsimoProjectOverview *self)
{
  g_return_val_if_fail (EPSIMO_IS_PROJECT_OVERVIEW (self), NULL);

  return self->project;
}

void
epsimo_project_overview_set_project (EpsimoProjectOverview *self,
                                     EpsimoProject         *project)
{
  g_return_if_fail (EPSIMO_IS_PROJECT_OVERVIEW (self));
  g_return_if_fail (project == NULL || EPSIMO_IS_PROJECT (project));

  if (self->project == project)
    return;

  if (self->project != NULL)
    g_signal_handlers_disconnect_by_data (self->project, self);
  g_set_object (&self->project, project);
  if (project != NULL)
    g_signal_connect_object (project, "notify", G_CALLBACK (update_details), self,
                             G_CONNECT_SWAPPED);

  /* Only the counting stops: a delete or save already confirmed still reports back. */
  cancel_load (self);
  epsimo_error_banner_hide (self->banner);
  update_details (self);
  epsimo_project_overview_reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROJECT]);
}
