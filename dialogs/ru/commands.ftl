# Command menu descriptions registered with Telegram, and terminal-mode texts.

cmd-start = Начать сначала
cmd-book = Записаться
cmd-my = Мои записи
cmd-cancel = Прервать запись
cmd-forget = Удалить мои данные
cmd-help = Что умеет бот
cmd-today = Записи на сегодня
cmd-tomorrow = Записи на завтра

terminal-intro = okno: чат в терминале, { $business }. Пишите текст или номер варианта; /help — подсказка, Ctrl-D — выход.
terminal-share-contact = 0. { $label } (введите 0 и номер телефона, например: 0 +7 913 123-45-67)
