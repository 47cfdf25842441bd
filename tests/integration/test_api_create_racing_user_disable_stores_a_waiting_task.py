"""A create that has passed its token check when `schedulerctl user
disable` commits stores a task that waits like the user's others
(tasks.owner_disabled = 1), not one that fires for a disabled user. The
race is made exact: a test transaction holds the users row (as the
disable's own transaction does) while the create is on its way, then
disables the user the way schedulerctl does and commits."""
import threading
import time

import pymysql

from api_helpers import one_time


def test_create_racing_user_disable_stores_a_waiting_task(make_stack):
    s = make_stack()
    token = s.token("racer")
    uid = s.sql("SELECT id FROM users WHERE name = 'racer'")[0][0]
    conn = pymysql.connect(unix_socket=s.db_socket, user="root",
                           database="scheduler", autocommit=False)
    answers = []
    try:
        cur = conn.cursor()
        cur.execute("BEGIN")
        cur.execute("SELECT id FROM users WHERE id = %s FOR UPDATE", (uid,))
        create = threading.Thread(target=lambda: answers.append(s.request(
            "POST", "/tasks", body=one_time(), token=token)))
        create.start()
        time.sleep(1.0)     # the create now waits for the users row
        assert not answers, answers
        cur.execute("UPDATE users SET disabled = 1 WHERE id = %s", (uid,))
        cur.execute("UPDATE tasks SET owner_disabled = 1 WHERE owner_id = %s",
                    (uid,))
        conn.commit()
        create.join(30)
    finally:
        conn.close()
    assert answers and answers[0].status == 201, answers
    assert s.sql("SELECT owner_disabled FROM tasks WHERE owner_id = %s",
                 (uid,)) == [(1,)]
