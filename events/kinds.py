"""The event types a partner may subscribe to, and their Russian names for staff pages."""

RESULT_SAVED = "result.saved"
ACCESS_LOW = "access.low"
ACCESS_EXHAUSTED = "access.exhausted"
INVOICE_ISSUED = "invoice.issued"

EVENT_TYPES: dict[str, str] = {
    RESULT_SAVED: "Сохранён результат",
    ACCESS_LOW: "Доступы заканчиваются",
    ACCESS_EXHAUSTED: "Доступы закончились",
    INVOICE_ISSUED: "Выставлен счёт",
}
