"""Build a believable practice shop, deterministically from a seed.

The same ``seed`` and ``orders`` give the same shop (names, goods, amounts, statuses,
tracking numbers); only the dates are anchored to the moment of seeding so that the
shop always looks current. Rows are made as tuples and written with ``executemany`` in
one transaction, with the big secondary indexes built afterwards: that is what makes a
1,000,000-order benchmark shop take seconds rather than minutes (FEASIBILITY.md §2).
"""

from __future__ import annotations

import bisect
import json
import random
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta

from app.domain.couriers import COURIERS
from app.domain.regions import regions
from app.sandbox import content as C
from app.sandbox.db import create_schema, fmt, now_dt, set_meta

BIG_INDEXES = (
    "orders_id", "orders_update", "orders_status", "orders_uid", "orders_add", "order_goods_order", "parcels_order",
    "parcels_tracking", "order_logs_order", "ledger_kind", "ledger_uid",
)


@dataclass(frozen=True)
class SeedOptions:
    seed: int = 7
    orders: int = 2000
    users: int | None = None  # default: 300, or one user per 20 orders for big shops
    days: int = 90
    now: datetime | None = None


def _name(rng: random.Random) -> str:
    given = C.GIVEN
    if rng.random() < 0.6:
        return rng.choice(C.SURNAMES) + given[rng.randrange(len(given))] + given[rng.randrange(len(given))]
    return rng.choice(C.SURNAMES) + given[rng.randrange(len(given))]


def _mobile(rng: random.Random) -> str:
    return f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}"


def seed_shop(conn: sqlite3.Connection, opts: SeedOptions) -> dict[str, int]:
    """Fill an empty sandbox database. Returns row counts per table."""
    rng = random.Random(opts.seed)
    now = opts.now or now_dt()
    n_users = opts.users or max(300, opts.orders // 20)
    create_schema(conn)
    for idx in BIG_INDEXES:
        conn.execute(f"DROP INDEX IF EXISTS {idx}")
    # A new shop is built in one go: if seeding fails the file is thrown away, so there is
    # nothing for a rollback journal to protect. WAL comes back on afterwards.
    conn.execute("PRAGMA journal_mode=OFF")
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("BEGIN")
    try:
        counts = _seed(conn, rng, now, n_users, opts)
        set_meta(conn, "seed", str(opts.seed))
        set_meta(conn, "seeded_at", fmt(now) or "")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    create_schema(conn)  # rebuilds the indexes dropped above
    conn.execute("ANALYZE")
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    return counts


def _seed(conn: sqlite3.Connection, rng: random.Random, now: datetime, n_users: int,
          opts: SeedOptions) -> dict[str, int]:
    ts = fmt(now)
    reg = regions()
    districts = [d for d in reg.districts() if reg.get(d.parent)]
    counts: dict[str, int] = {}

    # Reference data -------------------------------------------------------------------
    conn.executemany("INSERT OR IGNORE INTO regions VALUES (?,?,?,?)",
                     [(r.code, r.name, r.level, r.parent) for r in reg.all()])
    conn.executemany("INSERT INTO couriers VALUES (?,?,?,0)", [(c.id, c.code, c.name) for c in COURIERS])
    conn.executemany(
        "INSERT INTO freight_rules VALUES (?,?,?,?,?,?,?,?,?)",
        [(1, "全国包邮（满99）", 1, 800, 1, 200, 9900, "650000000000,540000000000", ts),
         (2, "生鲜冷链", 1, 1500, 1, 500, 19900, "650000000000,540000000000,630000000000", ts),
         (3, "大件商品", 1, 2000, 1, 1000, 0, "", ts)])
    conn.executemany("INSERT INTO user_levels VALUES (?,?,?)", C.LEVELS)

    # Goods and SKUs -------------------------------------------------------------------
    goods_rows, sku_rows = [], []
    skus: list[tuple[int, int, str, int, str]] = []  # sku id, goods id, property, price, goods name
    sku_id = 0
    for gid, (name, cat, price, unit, props) in enumerate(C.GOODS, start=1):
        base = round(price * 100)
        added = fmt(now - timedelta(days=rng.randrange(120, 400)))
        goods_rows.append((gid, name, cat, f"/img/goods/{gid}.svg", base, round(base * 1.3),
                           rng.randrange(50, 2000), unit, rng.choice((250, 500, 1000, 2500)), 0, added, ts))
        for i, prop in enumerate(props):
            sku_id += 1
            p = base + i * round(base * 0.4)
            sku_rows.append((sku_id, gid, prop, p, rng.randrange(20, 800), f"69{rng.randrange(10**11):011d}"))
            skus.append((sku_id, gid, prop, p, name))
    conn.executemany("INSERT INTO goods VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", goods_rows)
    conn.executemany("INSERT INTO skus VALUES (?,?,?,?,?,?)", sku_rows)
    counts["goods"] = len(goods_rows)
    sku_weights = [1.0 / (1 + i % 7) for i in range(len(skus))]
    sku_cum = []
    acc = 0.0
    for w in sku_weights:
        acc += w
        sku_cum.append(acc)

    # Users, addresses, balances -------------------------------------------------------
    span = timedelta(days=opts.days)
    start = now - span
    user_rows, addr_rows = [], []
    user_addr: list[tuple] = [()]  # 1-based: default address tuple per user
    user_created: list[datetime] = [start]
    balances = [0] * (n_users + 1)
    points = [0] * (n_users + 1)
    ledger: list[tuple] = []  # (date, uid, kind, behavior, type, amount, remark, order_id)
    addr_id = 0
    for uid in range(1, n_users + 1):
        created = start - timedelta(days=rng.randrange(0, 300), seconds=rng.randrange(86400))
        nick = rng.choice(C.NICK_WORDS) + str(rng.randrange(10, 999)) if rng.random() < 0.4 else _name(rng)
        mobile = _mobile(rng)
        d = districts[rng.randrange(len(districts))]
        city = reg.get(d.parent)
        province = reg.get(city.parent) if city else None
        level = rng.choices((0, 1, 2, 3), weights=(70, 18, 9, 3))[0]
        source = rng.choices((0, 1, 7, 4, 9), weights=(70, 10, 10, 5, 5))[0]
        referrer = rng.randrange(1, uid) if uid > 5 and rng.random() < 0.2 else 0
        status = 1 if rng.random() < 0.02 else 0
        username = f"user{uid}" if source == 4 else None
        login = created + timedelta(days=rng.randrange(0, max(1, (now - created).days)))
        user_rows.append((uid, nick, mobile, f"/img/avatar/{uid}.svg", rng.randrange(3),
                          province.name if province else "", reg.display_city(city.code) if city else "",
                          level, source, status, referrer, username, None, "", fmt(created), fmt(login),
                          fmt(max(created, login))))
        user_created.append(created)
        default = None
        for k in range(1 if rng.random() < 0.7 else 2):
            addr_id += 1
            if k:
                d = districts[rng.randrange(len(districts))]
                city = reg.get(d.parent)
            assert city is not None
            receiver = _name(rng) if rng.random() < 0.3 else (nick if len(nick) <= 4 else _name(rng))
            detail = (f"{rng.choice(C.STREETS)}{rng.randrange(1, 999)}号{rng.choice(C.COMMUNITIES)}"
                      f"{rng.randrange(1, 30)}幢{rng.randrange(1, 3)}单元{rng.randrange(101, 2605)}室")
            row = (addr_id, uid, receiver, mobile if rng.random() < 0.8 else _mobile(rng), city.parent,
                   city.code, d.code, detail, f"{rng.randrange(100000, 860000):06d}", int(k == 0), 0,
                   fmt(created), fmt(created))
            addr_rows.append(row)
            default = default or row
        user_addr.append(default)
        points[uid] = 100
        ledger.append((created, uid, "points", 0, 0, 100, "注册赠送", 0))
        if rng.random() < 0.35:
            amount = rng.choice((5000, 10000, 20000, 50000))
            bonus = amount // 10
            when = created + timedelta(hours=rng.randrange(1, 48))
            balances[uid] += amount + bonus
            ledger.append((when, uid, "balance", 0, 0, amount, "微信充值", 0))
            ledger.append((when, uid, "balance", 0, 9, bonus, "充值赠送", 0))
        if rng.random() < 0.1:
            tokens = rng.randrange(10, 500)
            ledger.append((created + timedelta(days=1), uid, "token", 0, 7, tokens, "邀请好友奖励", 0))
    conn.executemany("INSERT INTO users VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", user_rows)
    conn.executemany("INSERT INTO addresses VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", addr_rows)
    counts["users"], counts["addresses"] = len(user_rows), len(addr_rows)

    # Coupons (templates) --------------------------------------------------------------
    conn.executemany(
        "INSERT INTO coupons VALUES (?,?,?,?,?,?,?,?,?,?)",
        [(i, name, money * 100, thr * 100, 1000, 1000 - rng.randrange(50, 600), days, 0, fmt(start), ts)
         for i, (name, money, thr, days) in enumerate(C.COUPONS, start=1)])

    # Orders ---------------------------------------------------------------------------
    n = opts.orders
    secs = span.total_seconds()
    offsets = sorted(rng.random() * secs for _ in range(n))
    order_rows, goods_out, parcel_rows, log_rows, apply_rows, refund_rows = [], [], [], [], [], []
    og_id = parcel_id = log_id = apply_id = refund_id = 0
    total_consumed = [0] * (n_users + 1)
    couriers = COURIERS[:9]
    courier_w = (30, 22, 14, 10, 10, 6, 4, 3, 1)
    for oid in range(1, n + 1):
        t = start + timedelta(seconds=offsets[oid - 1])
        uid = rng.randrange(1, n_users + 1)
        addr = user_addr[uid]
        pickup = rng.random() < 0.08
        k = rng.choices((1, 2, 3), weights=(60, 30, 10))[0]
        lines = []
        amount = 0
        for _ in range(k):
            s = skus[bisect.bisect_left(sku_cum, rng.random() * acc)]
            qty = rng.choices((1, 2, 3), weights=(75, 20, 5))[0]
            lines.append((s, qty))
            amount += s[3] * qty
        freight = 0 if pickup or amount >= 9900 else 800
        discount = 0
        coupon_id = 0
        if rng.random() < 0.15:
            for cid in rng.sample(range(len(C.COUPONS)), 3):
                _, money, thr, _ = C.COUPONS[cid]
                if amount >= thr * 100 and money * 100 < amount:
                    discount, coupon_id = money * 100, cid + 1
                    break
        real = amount + freight - discount
        age = (now - t).total_seconds() / 86400
        if age < 1:
            weights = (10, 20, 60, 10, 0, 0)
        elif age < 3:
            weights = (10, 5, 35, 45, 5, 0)
        elif age < 10:
            weights = (10, 0, 5, 40, 30, 15)
        else:
            weights = (10, 0, 0, 3, 25, 62)
        status = rng.choices((-1, 0, 1, 2, 3, 4), weights=weights)[0]
        if pickup and status == 2:
            status = 1 if age < 3 else 3
        paid = status >= 1 or (status == -1 and rng.random() < 0.15)
        date_pay = min(t + timedelta(seconds=rng.randrange(20, 1800)), now) if paid else None
        date_ship = date_success = date_close = None
        pay_gate = ""
        if paid:
            assert date_pay is not None
            if balances[uid] >= real and rng.random() < 0.5:
                pay_gate = "BALANCE"
                balances[uid] -= real
                ledger.append((date_pay, uid, "balance", 1, 2, real, "订单支付", oid))
            else:
                pay_gate = "WXPAY"
            total_consumed[uid] += real
        log_id += 1
        log_rows.append((log_id, oid, 0, "下单", "", fmt(t)))
        if paid:
            log_id += 1
            log_rows.append((log_id, oid, 1, "支付", "余额支付" if pay_gate == "BALANCE" else "微信支付",
                             fmt(date_pay)))
        updated = date_pay or t
        first_og = og_id + 1
        for s, qty in lines:
            og_id += 1
            unshipped = qty if (status in (0, 1) or status == -1 or pickup) else 0
            if pickup and status >= 3:
                unshipped = 0
            goods_out.append((og_id, oid, s[1], s[0], s[4], f"/img/goods/{s[1]}.svg", s[2], qty, unshipped,
                              s[3], s[3] * qty, "0,1,2", 0))
        if status >= 2 and not pickup:
            assert date_pay is not None
            date_ship = min(date_pay + timedelta(hours=rng.uniform(1, 40)), now - timedelta(minutes=5))
            date_ship = max(date_ship, date_pay)
            c = rng.choices(couriers, weights=courier_w)[0]
            ids = list(range(first_og, og_id + 1))
            split = [ids] if (len(ids) == 1 or rng.random() > 0.1) else [ids[:1], ids[1:]]
            for part in split:
                parcel_id += 1
                goods_json = json.dumps([{"orderGoodsId": g, "number": goods_out[g - goods_out[0][0]][7]}
                                         for g in part])
                dest = reg.display_city(addr[5]) if addr else "本地"
                steps = []
                when = date_ship
                for si, step in enumerate(C.TRACE_STEPS):
                    when += timedelta(hours=rng.uniform(2, 14))
                    if when > now or (si == len(C.TRACE_STEPS) - 1 and status < 3):
                        break
                    steps.append({"AcceptTime": fmt(when), "AcceptStation": step.format(
                        city=C.SHIP_FROM[oid % len(C.SHIP_FROM)], dest=dest, courier=c.name)})
                parcel_rows.append((parcel_id, oid, c.id, c.make_number(rng), goods_json,
                                    json.dumps(steps, ensure_ascii=False), fmt(date_ship)))
            log_id += 1
            log_rows.append((log_id, oid, 2, "发货", c.name, fmt(date_ship)))
            updated = date_ship
        if status >= 3:
            base = date_ship or date_pay or t
            date_success = min(base + timedelta(days=rng.uniform(1, 6)), now - timedelta(minutes=1))
            log_id += 1
            log_rows.append((log_id, oid, 3, "核销" if pickup else "确认收货", "", fmt(date_success)))
            updated = date_success
            if status == 4:
                when = min(date_success + timedelta(days=rng.uniform(0.1, 3)), now)
                log_id += 1
                log_rows.append((log_id, oid, 4, "评价", "", fmt(when)))
                updated = when
                if rng.random() < 0.3 and real >= 100:
                    pts = real // 100
                    points[uid] += pts
                    ledger.append((when, uid, "points", 0, 6, pts, "购物返积分", oid))
        if status == -1:
            date_close = (date_pay or t) + timedelta(minutes=rng.randrange(30, 60 * 48))
            date_close = min(date_close, now)
            log_id += 1
            log_rows.append((log_id, oid, -1, "关闭", "超时未支付" if not paid else "商家关闭", fmt(date_close)))
            updated = date_close
        has_refund = refund_status = refunded = 0
        if status >= 1 and rng.random() < 0.06:
            apply_id += 1
            og = goods_out[first_og - goods_out[0][0]]
            rtype = 0 if status == 1 else rng.choices((0, 1, 2), weights=(50, 40, 10))[0]
            applied = min((date_ship or date_pay or t) + timedelta(hours=rng.uniform(1, 72)), now)
            old = (now - applied).days > 5
            rstatus = rng.choices((4, 2, 1), weights=(70, 15, 15))[0] if old else rng.choice((0, 0, 3))
            ramount = 0 if rtype == 2 else min(og[10], real)
            status2 = 0
            back_shipper = back_tracking = ""
            if rtype in (1, 2) and rstatus in (3, 4):
                status2 = 2
                bc = rng.choice(couriers)
                back_shipper, back_tracking = bc.name, bc.make_number(rng)
            elif rtype in (1, 2) and rstatus == 0:
                status2 = 1
            pics = json.dumps([f"/img/refund/{apply_id}-{i}.svg" for i in range(rng.randrange(0, 3))])
            r_updated = min(applied + timedelta(hours=rng.uniform(1, 48)), now) if rstatus else applied
            apply_rows.append((apply_id, oid, og[0], uid, rtype, 0 if status == 1 else rng.randrange(2),
                               rng.choice(C.REFUND_REASONS), "", ramount, og[7], rstatus, status2, pics,
                               back_shipper, back_tracking, "与商品描述一致，不支持退款" if rstatus == 2 else "",
                               fmt(applied), fmt(r_updated)))
            has_refund = 1
            refund_status = {0: 2, 3: 2, 4: 3}.get(rstatus, 1)
            log_id += 1
            log_rows.append((log_id, oid, 10, "申请售后", C.REFUND_REASONS[0], fmt(applied)))
            if rstatus == 4 and ramount:
                refund_id += 1
                to_where = 0 if pay_gate == "BALANCE" else 1
                refund_rows.append((refund_id, oid, apply_id, ramount, to_where, 3, "同意退款", fmt(r_updated)))
                refunded = ramount
                if to_where == 0:
                    balances[uid] += ramount
                    ledger.append((r_updated, uid, "balance", 0, 3, ramount, "订单退款", oid))
            updated = max(updated, r_updated)
        hx = f"{rng.randrange(10**9, 10**10)}" if pickup else ""
        order_rows.append((
            oid, f"{t:%y%m%d}{oid:08d}", uid, status, 0 if pickup else 1, amount, freight, discount, real,
            refunded, sum(q for _, q in lines), has_refund, refund_status, int(paid), pay_gate, hx,
            rng.choice(C.BUYER_REMARKS), rng.choice(C.ADMIN_REMARKS) if status >= 1 else "", coupon_id,
            addr[2], addr[3], addr[4], addr[5], addr[6], addr[7], addr[8], fmt(t), fmt(date_pay), fmt(date_ship),
            fmt(date_close), fmt(date_success), fmt(updated)))
        if len(order_rows) >= 50_000:
            _flush(conn, order_rows, goods_out, parcel_rows, log_rows)
    _flush(conn, order_rows, goods_out, parcel_rows, log_rows)
    conn.executemany("INSERT INTO refund_applies VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", apply_rows)
    conn.executemany("INSERT INTO refunds VALUES (?,?,?,?,?,?,?,?)", refund_rows)
    counts.update(orders=n, order_goods=og_id, parcels=parcel_id, order_logs=log_id,
                  refund_applies=len(apply_rows))

    # Withdrawals (freeze on request, unfreeze on pay/refuse) ---------------------------
    wd_rows = []
    for wid in range(1, max(12, n_users // 6) + 1):
        uid = rng.randrange(1, n_users + 1)
        if balances[uid] < 1000:
            balances[uid] += 20000
            ledger.append((user_created[uid] + timedelta(days=2), uid, "balance", 0, 6, 20000, "分销佣金", 0))
        money = min(balances[uid], rng.choice((1000, 2000, 5000, 10000)))
        when = start + timedelta(seconds=rng.random() * secs)
        wstatus = rng.choices((0, 1, 2, 3), weights=(25, 55, 10, 10))[0]
        channel = rng.choice(("bank", "wechat"))
        done = min(when + timedelta(hours=rng.uniform(2, 72)), now)
        balances[uid] -= money
        ledger.append((when, uid, "balance", 1, 11, money, "申请提现", 0))
        ledger.append((when, uid, "frozen", 0, 11, money, "提现冻结", 0))
        if wstatus in (1, 2):
            ledger.append((done, uid, "frozen", 1, 1 if wstatus == 1 else 12, money,
                           "提现成功" if wstatus == 1 else "提现失败，解冻", 0))
            if wstatus == 2:
                balances[uid] += money
                ledger.append((done, uid, "balance", 0, 12, money, "提现失败退回", 0))
        wd_rows.append((wid, f"TX{when:%Y%m%d}{wid:06d}", uid, channel, money, money // 100 if channel == "bank" else 0,
                        wstatus, user_addr[uid][2], f"62{rng.randrange(10**15):015d}" if channel == "bank" else "",
                        rng.choice(C.WITHDRAW_BANKS) if channel == "bank" else "",
                        "银行卡信息有误，请核对后重新申请" if wstatus == 2 else "", fmt(when),
                        fmt(done if wstatus else when)))
    conn.executemany("INSERT INTO withdrawals VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", wd_rows)
    counts["withdrawals"] = len(wd_rows)

    # Ledgers, with running balances per user and kind, in time order ------------------
    ledger.sort(key=lambda e: e[0])
    running: dict[tuple[int, str], int] = {}
    ledger_rows = []
    for i, (when, uid, kind, behavior, typ, amt, remark, order_id) in enumerate(ledger, start=1):
        key = (uid, kind)
        running[key] = running.get(key, 0) + (amt if behavior == 0 else -amt)
        ledger_rows.append((i, uid, kind, behavior, typ, amt, running[key], order_id, remark, fmt(when)))
    conn.executemany("INSERT INTO ledger VALUES (?,?,?,?,?,?,?,?,?,?)", ledger_rows)
    counts["ledger"] = len(ledger_rows)
    asset_rows = []
    for uid in range(1, n_users + 1):
        asset_rows.append((uid, running.get((uid, "balance"), 0), running.get((uid, "frozen"), 0),
                           running.get((uid, "points"), 0), running.get((uid, "token"), 0),
                           total_consumed[uid], ts))
    conn.executemany("INSERT INTO assets VALUES (?,?,?,?,?,?,?)", asset_rows)

    # Vouchers and user coupons ----------------------------------------------------------
    v_rows = []
    for vid in range(1, max(40, n_users // 2) + 1):
        uid = rng.randrange(1, n_users + 1)
        when = start + timedelta(seconds=rng.random() * secs)
        vstatus = rng.choices((0, 1, 2), weights=(55, 35, 10))[0]
        end = when + timedelta(days=rng.choice((30, 60, 90)))
        if vstatus == 0 and end < now:
            vstatus = 3
        used = min(when + timedelta(days=rng.uniform(0.5, 20)), now) if vstatus == 1 else None
        v_rows.append((vid, f"HX{rng.randrange(10**11, 10**12)}", uid, 0, rng.choice(C.VOUCHERS), vstatus,
                       fmt(when), fmt(end), fmt(used), fmt(used or when)))
    conn.executemany("INSERT INTO vouchers VALUES (?,?,?,?,?,?,?,?,?,?)", v_rows)
    uc_rows = []
    for ucid in range(1, max(60, n_users * 2) + 1):
        cid = rng.randrange(len(C.COUPONS))
        name, money, thr, days = C.COUPONS[cid]
        when = start + timedelta(seconds=rng.random() * secs)
        end = when + timedelta(days=days)
        ustatus = rng.choices((0, 3, 1), weights=(60, 35, 5))[0]
        if ustatus == 0 and end < now:
            ustatus = 2
        uc_rows.append((ucid, cid + 1, rng.randrange(1, n_users + 1), name, money * 100, thr * 100, ustatus, 0,
                        fmt(when), fmt(end), fmt(min(end, now) if ustatus else when)))
    conn.executemany("INSERT INTO user_coupons VALUES (?,?,?,?,?,?,?,?,?,?,?)", uc_rows)
    counts["vouchers"], counts["user_coupons"] = len(v_rows), len(uc_rows)

    # CMS --------------------------------------------------------------------------------
    old = fmt(start - timedelta(days=30))
    conn.executemany("INSERT INTO cms_categories VALUES (?,?,?,?,?,?,?)",
                     [(i, name, key, 0, i, old, old) for i, (name, key) in enumerate(C.CMS_CATEGORIES, 1)])
    art_rows = []
    for aid, title in enumerate(C.ARTICLES, start=1):
        when = start + timedelta(days=rng.uniform(0, opts.days))
        tags = ",".join(rng.sample(C.TAGS, 2))
        art_rows.append((aid, rng.randrange(1, len(C.CMS_CATEGORIES) + 1), title, title[:12],
                         f"<p>{title}</p><p>详细内容请咨询客服。</p>", f"/img/article/{aid}.svg", tags, "店长",
                         int(rng.random() < 0.25), 0, rng.randrange(20, 5000), fmt(when), fmt(when)))
    conn.executemany("INSERT INTO cms_articles VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", art_rows)
    conn.executemany("INSERT INTO cms_pages VALUES (?,?,?,?,?,?)",
                     [(i, key, title, body, old, old) for i, (key, (title, body)) in enumerate(C.PAGES.items(), 1)])
    conn.executemany("INSERT INTO notices VALUES (?,?,?,?,?,?,?)",
                     [(i, "notice", title, f"<p>{title}</p>", 1, old, old) for i, title in enumerate(C.NOTICES, 1)])
    conn.executemany("INSERT INTO banners VALUES (?,?,?,?,?,?,?,?,?)",
                     [(i, "index", title, f"/img/banner/{i}.svg", f"/pages/goods/list?tag={i}", i, 0, old, old)
                      for i, title in enumerate(C.BANNERS, 1)])
    conn.executemany("INSERT INTO info_posts VALUES (?,?,?,?,?,?,?)",
                     [(i, cat, title, f"<p>{title}</p>", rng.randrange(5, 500), old, old)
                      for i, (cat, title) in enumerate(C.INFO_POSTS, 1)])
    return counts


def _flush(conn: sqlite3.Connection, orders: list, goods: list, parcels: list, logs: list) -> None:
    conn.executemany(f"INSERT INTO orders VALUES ({','.join('?' * 32)})", orders)
    conn.executemany("INSERT INTO order_goods VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", goods)
    conn.executemany("INSERT INTO parcels VALUES (?,?,?,?,?,?,?)", parcels)
    conn.executemany("INSERT INTO order_logs VALUES (?,?,?,?,?,?)", logs)
    orders.clear()
    goods.clear()
    parcels.clear()
    logs.clear()
