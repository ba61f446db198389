# Client dialog texts. Keys are referred to from src/dialog/client/.
# A booking looks like: /start → questions → service → master → day → time → name → consent
# → phone → summary → booked. Variables are filled by the bot; money and dates come formatted.

greeting = Здравствуйте! Это { $business }. Запишу вас за минуту.
greeting-known = Здравствуйте, { $name }! Это { $business }. Запишу вас за минуту.
menu = Чем могу помочь?
button-book = Записаться
button-book-more = Записаться ещё
button-my-bookings = Мои записи

help =
    Я записываю на услуги: выберите услугу, день и время — и всё.
    /book — записаться
    /my — мои записи и отмена
    /cancel — прервать запись
    /forget — удалить мои данные
    /help — эта подсказка
unknown-command = Такой команды я не знаю. /help — что я умею.
cancelled-dialog = Хорошо, запись прервана.
too-fast = Вы пишете очень быстро. Подождите минуту, и продолжим.
error-generic = Что-то пошло не так с нашей стороны. Попробуйте ещё раз через минуту или начните заново: /start
only-text = Я понимаю только текст и кнопки.
use-buttons = Выберите вариант кнопкой ниже.
stale-button = Эта кнопка из старого сообщения. Начните заново: /start
stale-button-note = Кнопка устарела
already-booked-note = Вы уже записаны

choose-service = Выберите услугу:
service-button = { $service } · { $price }
price-from = от { $price }
choose-master = { $service }. К кому записать?
master-button = { $master } · { $price }
any-master-button = Любой { $specialist } · { $price }
choose-day = Выберите день:
no-days = Свободного времени на { $days } { $days ->
        [one] ближайший день
        [few] ближайших дня
       *[many] ближайших дней
    } нет. Выберите другую услугу или позвоните нам: { $phone }
button-other-service = Другая услуга
choose-time = { $day }, { $price }. Выберите время:
no-times = На { $day } свободного времени уже нет. Выберите другой день.
button-other-day = ← Другой день
slot-gone = Увы, это время только что заняли. Вот что свободно сейчас:
slot-passed = Это время уже прошло или до него слишком мало времени. Вот что свободно сейчас:
own-clash = В это время у вас уже есть запись: { $when } — { $service }. Выберите другое время:

ask-name = Как к вам обращаться?
bad-name = Напишите, пожалуйста, имя буквами — до 60 символов.
ask-consent =
    Чтобы записать вас, { $business } сохранит ваше имя и телефон. Это нужно только для записи и напоминаний.
    Политика обработки персональных данных: { $url }
    Согласны?
button-consent-yes = Даю согласие
button-consent-no = Нет
consent-declined = Понимаю. Без согласия записать не получится — позвоните нам, пожалуйста: { $phone }
ask-phone = Оставьте номер телефона: нажмите кнопку ниже или напишите его, например +7 913 123-45-67.
share-phone-button = Отправить мой номер
bad-phone = Не получилось принять этот номер. Нужен мобильный или городской номер России, например +7 913 123-45-67. Если такого номера нет, позвоните нам: { $phone }
phone-saved = Спасибо, номер сохранён.

summary =
    Проверьте запись:
    { $service }, { $specialist } { $master }
    { $when }
    Стоимость: { $price }
    Адрес: { $address }
button-confirm = Записаться
button-change = Изменить
booked =
    Готово, вы записаны!
    { $service }, { $specialist } { $master }
    { $when }
    Стоимость: { $price }
    Адрес: { $address }
    Если планы изменятся, отмените запись в «Мои записи».
booked-again =
    Вы уже записаны:
    { $service }, { $specialist } { $master }
    { $when }
    Стоимость: { $price }
    Адрес: { $address }
    Если планы изменятся, отмените запись в «Мои записи».
too-many-bookings = У вас уже { $count } { $count ->
        [one] активная запись
        [few] активные записи
       *[many] активных записей
    } — больше сразу нельзя. { $count ->
        [1] Отмените её
       *[other] Отмените одну из них
    } или дождитесь визита.

my-bookings-title = Ваши записи:
my-booking-line = • { $when } — { $service }, { $specialist } { $master }, { $price }
no-bookings = Предстоящих записей нет.
button-cancel-booking = Отменить { $when }
cancel-ask = Отменить запись { $when } — { $service }, { $specialist } { $master }?
button-cancel-yes = Да, отменить
button-cancel-no = Нет, оставить
booking-not-found = Эта запись уже отменена или прошла.
visit-started = Этот визит уже начался — отменить его нельзя.
late-cancel = До визита меньше { $hours } { $hours ->
        [one] часа
       *[other] часов
    } — отменить через бота уже нельзя. Позвоните нам, пожалуйста: { $phone }
booking-cancelled = Запись отменена: { $when } — { $service }, { $specialist } { $master }.

forget-ask = Удалить ваше имя, телефон и будущие записи? Это нельзя отменить.
button-forget-yes = Да, удалить
button-forget-no = Нет
forget-kept = Хорошо, ничего не удаляю.
forgotten = Готово: ваши данные удалены, будущие записи отменены.
