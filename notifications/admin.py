from django.contrib import admin

from .models import Email, InboundMessage, Message, OptOut


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "to", "kind", "status", "suppressed_reason", "attempts"]
    list_filter = ["status", "kind", "suppressed_reason"]
    search_fields = ["to", "provider_sid"]
    # The outbox is the record of what was sent: read, never edited.
    readonly_fields = [f.name for f in Message._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Email)
class EmailAdmin(admin.ModelAdmin):
    list_display = ["created_at", "to", "kind", "status", "attempts"]
    list_filter = ["status", "kind"]
    search_fields = ["to", "subject"]
    readonly_fields = [f.name for f in Email._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(OptOut)
class OptOutAdmin(admin.ModelAdmin):
    list_display = ["phone", "source", "keyword", "created_at"]
    search_fields = ["phone"]


@admin.register(InboundMessage)
class InboundMessageAdmin(admin.ModelAdmin):
    list_display = ["received_at", "from_number", "body", "understood_as"]
    search_fields = ["from_number"]
    readonly_fields = [f.name for f in InboundMessage._meta.fields]
