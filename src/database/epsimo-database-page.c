/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-database-page"

#include "config.h"

#include <glib/gi18n.h>

#include "widgets/epsimo-error-banner.h"

#include "epsimo-database-page.h"

typedef enum
{
  VIEW_NONE,
  VIEW_LOADING,
  VIEW_NO_THREADS,
  VIEW_ERROR,
  VIEW_PANEL,
} ViewState;

struct _EpsimoDatabasePage
{
  AdwBin               parent_instance;

  EpsimoSession       *session;
  EpsimoProject       *project;
  GCancellable        *load_cancellable;
  GListStore          *threads;
  char                *wanted_thread_id;  /* chosen, or asked for before the listing */
  guint                filling;

  EpsimoErrorBanner   *banner;
  GtkWidget           *picker_box;
  GtkDropDown         *thread_dropdown;
  GtkStack            *stack;
  GtkSpinner          *spinner;
  EpsimoDatabasePanel *panel;
};

G_DEFINE_FINAL_TYPE (EpsimoDatabasePage, epsimo_database_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_PROJECT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *
project_id (EpsimoDatabasePage *self)
{
  return self->project != NULL ? epsimo_project_get_id (self->project) : NULL;
}

static void
set_view (EpsimoDatabasePage *self,
          ViewState           view)
{
  static const char * const names[] = { "none", "loading", "no-threads", "error", "panel" };

  gtk_stack_set_visible_child_name (self->stack, names[view]);
  gtk_spinner_set_spinning (self->spinner, view == VIEW_LOADING);
  gtk_widget_set_visible (self->picker_box, view == VIEW_PANEL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "database-page.reload-threads",
                                 self->session != NULL && project_id (self) != NULL);
}

static char *
thread_title (EpsimoThread *thread,
              gpointer      user_data)
{
  const char *name = thread != NULL ? epsimo_thread_get_name (thread) : NULL;

  if (name == NULL || *name == '\0')
    return g_strdup (_("Untitled Thread"));
  return g_strdup (name);
}

static void
show_thread (EpsimoDatabasePage *self,
             const char         *thread_id)
{
  epsimo_database_panel_set_thread_id (self->panel, thread_id);
}

static void
threads_listed_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  EpsimoDatabasePage *self;
  g_autoptr(GPtrArray) threads = NULL;
  g_autoptr(GError) error = NULL;
  guint position = 0;

  threads = epsimo_threads_service_list_finish (EPSIMO_THREADS_SERVICE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = EPSIMO_DATABASE_PAGE (user_data);

  if (threads == NULL)
    {
      /* Translators: %s says why, e.g. "Could not connect to the server." */
      g_autofree char *message = g_strdup_printf (_("Could not load the threads: %s"),
                                                  error->message);

      epsimo_error_banner_set_message (self->banner, message);
      epsimo_error_banner_reveal (self->banner);
      /* A thread already shown stays usable. */
      if (g_list_model_get_n_items (G_LIST_MODEL (self->threads)) == 0)
        set_view (self, VIEW_ERROR);
      return;
    }

  epsimo_error_banner_hide (self->banner);

  /* The thread chosen before stays chosen when it is still there. */
  for (guint i = 0; i < threads->len; i++)
    if (g_strcmp0 (epsimo_thread_get_id (g_ptr_array_index (threads, i)),
                   self->wanted_thread_id) == 0)
      position = i;

  self->filling++;
  g_list_store_splice (self->threads, 0,
                       g_list_model_get_n_items (G_LIST_MODEL (self->threads)),
                       threads->pdata, threads->len);
  if (threads->len > 0)
    gtk_drop_down_set_selected (self->thread_dropdown, position);
  self->filling--;

  if (threads->len == 0)
    {
      show_thread (self, NULL);
      set_view (self, VIEW_NO_THREADS);
      return;
    }

  g_free (self->wanted_thread_id);
  self->wanted_thread_id = g_strdup (epsimo_thread_get_id (g_ptr_array_index (threads,
                                                                              position)));
  show_thread (self, self->wanted_thread_id);
  set_view (self, VIEW_PANEL);
}

static void
reload_threads (EpsimoDatabasePage *self)
{
  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  self->load_cancellable = g_cancellable_new ();

  if (self->session == NULL || project_id (self) == NULL)
    {
      self->filling++;
      g_list_store_remove_all (self->threads);
      self->filling--;
      epsimo_error_banner_hide (self->banner);
      show_thread (self, NULL);
      set_view (self, VIEW_NONE);
      return;
    }

  if (g_list_model_get_n_items (G_LIST_MODEL (self->threads)) == 0)
    set_view (self, VIEW_LOADING);

  epsimo_threads_service_list_async (epsimo_session_get_threads (self->session),
                                     project_id (self), self->load_cancellable,
                                     threads_listed_cb, self);
}

static void
on_banner_retry (EpsimoDatabasePage *self)
{
  reload_threads (self);
}

static void
on_thread_selected (EpsimoDatabasePage *self)
{
  EpsimoThread *thread;

  if (self->filling > 0)
    return;

  thread = gtk_drop_down_get_selected_item (self->thread_dropdown);
  if (thread == NULL)
    return;

  g_free (self->wanted_thread_id);
  self->wanted_thread_id = g_strdup (epsimo_thread_get_id (thread));
  show_thread (self, self->wanted_thread_id);
}

static void
reload_threads_activated (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  reload_threads (EPSIMO_DATABASE_PAGE (widget));
}

/* GObject */

static void
epsimo_database_page_dispose (GObject *object)
{
  EpsimoDatabasePage *self = (EpsimoDatabasePage *)object;

  g_cancellable_cancel (self->load_cancellable);

  gtk_widget_dispose_template (GTK_WIDGET (self), EPSIMO_TYPE_DATABASE_PAGE);

  g_clear_object (&self->session);
  g_clear_object (&self->project);
  g_clear_object (&self->threads);
  g_clear_object (&self->load_cancellable);

  G_OBJECT_CLASS (epsimo_database_page_parent_class)->dispose (object);
}

static void
epsimo_database_page_finalize (GObject *object)
{
  EpsimoDatabasePage *self = (EpsimoDatabasePage *)object;

  g_clear_pointer (&self->wanted_thread_id, g_free);

  G_OBJECT_CLASS (epsimo_database_page_parent_class)->finalize (object);
}

static void
epsimo_database_page_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  EpsimoDatabasePage *self = EPSIMO_DATABASE_PAGE (object);

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
epsimo_database_page_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  EpsimoDatabasePage *self = EPSIMO_DATABASE_PAGE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      epsimo_database_page_set_session (self, g_value_get_object (value));
      break;

    case PROP_PROJECT:
      epsimo_database_page_set_project (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
epsimo_database_page_class_init (EpsimoDatabasePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = epsimo_database_page_dispose;
  object_class->finalize = epsimo_database_page_finalize;
  object_class->get_property = epsimo_database_page_get_property;
  object_class->set_property = epsimo_database_page_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, EPSIMO_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROJECT] =
    g_param_spec_object ("project", NULL, NULL, EPSIMO_TYPE_PROJECT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_action (widget_class, "database-page.reload-threads", NULL,
                                   reload_threads_activated);

  g_type_ensure (EPSIMO_TYPE_ERROR_BANNER);
  g_type_ensure (EPSIMO_TYPE_DATABASE_PANEL);

  gtk_widget_class_set_template_from_resource (
    widget_class, "/com/epsimoagents/Desktop/database/epsimo-database-page.ui");
  gtk_widget_class_bind_template_child (widget_class, EpsimoDatabasePage, banner);
  gtk_widget_class_bind_template_child (widget_class, EpsimoDatabasePage, picker_box);
  gtk_widget_class_bind_template_child (widget_class, EpsimoDatabasePage, thread_dropdown);
  gtk_widget_class_bind_template_child (widget_class, EpsimoDatabasePage, stack);
  gtk_widget_class_bind_template_child (widget_class, EpsimoDatabasePage, spinner);
  gtk_widget_class_bind_template_child (widget_class, EpsimoDatabasePage, panel);
  gtk_widget_class_bind_template_callback (widget_class, on_banner_retry);
  gtk_widget_class_bind_template_callback (widget_class, on_thread_selected);
}

static void
epsimo_database_page_init (EpsimoDatabasePage *self)
{
  g_autoptr(GtkExpression) title = NULL;

  self->load_cancellable = g_cancellable_new ();
  self->threads = g_list_store_new (EPSIMO_TYPE_THREAD);

  gtk_widget_init_template (GTK_WIDGET (self));

  title = gtk_cclosure_expression_new (G_TYPE_STRING, NULL, 0, NULL, G_CALLBACK (thread_title),
                                       NULL, NULL);
  gtk_drop_down_set_expression (self->thread_dropdown, title);
  self->filling++;
  gtk_drop_down_set_model (self->thread_dropdown, G_LIST_MODEL (self->threads));
  self->filling--;

  set_view (self, VIEW_NONE);
}

GtkWidget *
epsimo_database_page_new (void)
{
  return g_object_new (EPSIMO_TYPE_DATABASE_PAGE, NULL);
}

EpsimoSession *
epsimo_database_page_get_session (EpsimoDatabasePage *self)
{
  g_return_val_if_fail (EPSIMO_IS_DATABASE_PAGE (self), NULL);

  return self->session;
}

void
epsimo_database_page_set_session (EpsimoDatabasePage *self,
                                  EpsimoSession      *session)
{
  g_return_if_fail (EPSIMO_IS_DATABASE_PAGE (self));
  g_return_if_fail (session == NULL || EPSIMO_IS_SESSION (session));

  if (!g_set_object (&self->session, session))
    return;

  /* Nothing of the previous account: its threads go before the listing of the next. */
  g_clear_pointer (&self->wanted_thread_id, g_free);
  self->filling++;
  g_list_store_remove_all (self->threads);
  self->filling--;
  show_thread (self, NULL);
  epsimo_database_panel_set_session (self->panel, session);
  reload_threads (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

EpsimoProject *
epsimo_database_page_get_project (EpsimoDatabasePage *self)
{
  g_return_val_if_fail (EPSIMO_IS_DATABASE_PAGE (self), NULL);

  return self->project;
}

void
epsimo_database_page_set_project (EpsimoDatabasePage *self,
                                  EpsimoProject      *project)
{
  g_return_if_fail (EPSIMO_IS_DATABASE_PAGE (self));
  g_return_if_fail (project == NULL || EPSIMO_IS_PROJECT (project));

  if (!g_set_object (&self->project, project))
    return;

  g_clear_pointer (&self->wanted_thread_id, g_free);
  self->filling++;
  g_list_store_remove_all (self->threads);
  self->filling--;
  /* The previous project's thread must not be asked of the next project. */
  show_thread (self, NULL);
  epsimo_database_panel_set_project (self->panel, project);
  reload_threads (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROJECT]);
}

EpsimoDatabasePanel *
epsimo_database_page_get_panel (EpsimoDatabasePage *self)
{
  g_return_val_if_fail (EPSIMO_IS_DATABASE_PAGE (self), NULL);

  return self->panel;
}

void
epsimo_database_page_select_thread (EpsimoDatabasePage *self,
                                    const char         *thread_id)
{
  guint n;

  g_return_if_fail (EPSIMO_IS_DATABASE_PAGE (self));
  g_return_if_fail (thread_id != NULL);

  g_free (self->wanted_thread_id);
  self->wanted_thread_id = g_strdup (thread_id);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->threads));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(EpsimoThread) thread = g_list_model_get_item (G_LIST_MODEL (self->threads), i);

      if (g_strcmp0 (epsimo_thread_get_id (thread), thread_id) == 0)
        {
          /* The selection handler shows it. */
          gtk_drop_down_set_selected (self->thread_dropdown, i);
          show_thread (self, thread_id);
          return;
        }
    }

  /* Not listed yet (a thread made since): list again, choosing it. */
  if (self->session != NULL && project_id (self) != NULL)
    reload_threads (self);
}
