// Drives the unchanged apifm-wxapi package against the practice platform the way a
// mini-program would: register, log in, browse goods, order, pay with balance, ask for a
// refund, read the wallet. Prints one JSON object with what it saw; the pytest checks the
// sandbox's database against it.
//
// env: SANDBOX_URL, SUB_DOMAIN, DISTRICT_ID, MERCHANT_NO, MERCHANT_KEY, USERNAME
import WXAPI from 'apifm-wxapi'

const BASE = process.env.SANDBOX_URL
const SUB = process.env.SUB_DOMAIN
const seen = { steps: [] }

// A few calls read the mini-program's local storage (goods() looks for 'shopIds'); outside
// WeChat that storage is empty.
globalThis.wx = { getStorageSync: () => '' }

// The package sends through wx.request; outside WeChat we hand init3 a request with the
// same signature and the same encoding (form-urlencoded; GET as a query string). The
// package hard-codes the "common" host, so it is pointed at the sandbox here as well.
async function request (url, needSubDomain, method, data) {
  let full = url
  if (url.indexOf('http') === 0) {
    full = url.replace(/^https:\/\/common\.apifm\.com\//, BASE + '/')
  } else {
    full = BASE + (needSubDomain ? '/' + SUB : '') + url
  }
  const form = new URLSearchParams()
  for (const [k, v] of Object.entries(data || {})) {
    if (v !== undefined && v !== null) form.append(k, String(v))
  }
  const verb = String(method || 'get').toUpperCase()
  const init = { method: verb, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }
  if (verb === 'GET') {
    const qs = form.toString()
    if (qs) full += (full.includes('?') ? '&' : '?') + qs
  } else {
    init.body = form.toString()
  }
  const res = await fetch(full, init)
  return res.json()
}

function expect (name, res, code = 0) {
  seen.steps.push({ name, code: res.code })
  if (res.code !== code) {
    throw new Error(`${name}: expected code ${code}, got ${res.code} ${res.msg}`)
  }
  return res.data
}

async function merchantTopUp (uid, money) {
  // The shop's staff tops the buyer up in the back office (admin API, not apifm-wxapi).
  const post = (path, body, token) => fetch(BASE + path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...(token ? { 'X-Token': token } : {}) },
    body: new URLSearchParams(body).toString()
  }).then(r => r.json())
  const login = await post('/login/key', { merchantNo: process.env.MERCHANT_NO, merchantKey: process.env.MERCHANT_KEY })
  expect('admin login', login)
  expect('admin top-up', await post('/user/apiExtUserPay/save', { uid, money, remark: '门店充值' }, login.data))
}

async function main () {
  WXAPI.init3({ apiBaseUrl: BASE, subDomain: SUB, request })
  const username = process.env.USERNAME
  const pwd = 'secret-123'

  expect('register', await WXAPI.register_username({ username, pwd, nick: '小程序买家' }))
  const login = expect('login', await WXAPI.login_username({ username, pwd }))
  const token = login.token
  seen.uid = login.uid
  expect('checkToken', await WXAPI.checkToken(token))
  expect('checkToken bad', await WXAPI.checkToken('not-a-token'), 2000)

  const addr = expect('addAddress', await WXAPI.addAddress({
    token, linkMan: '张三', mobile: '13800138000', provinceId: '', cityId: '',
    districtId: process.env.DISTRICT_ID, address: '文三路 90 号', code: '310000', isDefault: 'true'
  }))
  seen.addressId = addr.id
  const def = expect('defaultAddress', await WXAPI.defaultAddress(token))
  seen.defaultAddressId = def.info.id

  const goods = expect('goods', await WXAPI.goods({ page: 1, pageSize: 5 }))
  const detail = expect('goodsDetail', await WXAPI.goodsDetail(goods[0].id))
  const sku = detail.skuList[detail.skuList.length - 1]
  seen.goodsId = goods[0].id
  seen.skuId = sku.id
  const goodsJsonStr = JSON.stringify([{ goodsId: goods[0].id, number: 2, propertyChildIds: sku.propertyChildIds }])

  const priced = expect('orderCreate calculate', await WXAPI.orderCreate({ token, goodsJsonStr, calculate: true }))
  const order = expect('orderCreate', await WXAPI.orderCreate({ token, goodsJsonStr, remark: '请尽快发货', addressId: addr.id }))
  seen.priced = priced.amountReal
  seen.orderId = order.id
  seen.orderNumber = order.orderNumber
  seen.amountReal = order.amountReal

  const short = await WXAPI.orderPay(token, order.id)
  expect('orderPay without balance', short, 40000)
  seen.shortfall = short.data
  await merchantTopUp(seen.uid, 1000)
  expect('orderPay', await WXAPI.orderPay(token, order.id))

  const list = expect('orderList', await WXAPI.orderList({ token, page: 1, pageSize: 10 }))
  seen.listed = list.orderList.map(o => o.id)
  seen.listedGoods = list.goodsMap[String(order.id)].map(g => g.goodsId)
  seen.listedReceiver = list.logisticsMap[String(order.id)].linkMan
  const od = expect('orderDetail', await WXAPI.orderDetail(token, order.id))
  seen.detailStatus = od.orderInfo.status
  seen.orderGoodsId = od.goods[0].id

  expect('refundApply', await WXAPI.refundApply({
    token, orderId: order.id, orderGoodsId: od.goods[0].id, type: 0, logisticsStatus: 0,
    reason: '拍错了/多拍了', amount: order.amountReal, remark: '不要了', pic: ''
  }))
  expect('refundApply again', await WXAPI.refundApply({
    token, orderId: order.id, orderGoodsId: od.goods[0].id, type: 0, logisticsStatus: 0,
    reason: '拍错了/多拍了', amount: order.amountReal
  }), 20000)
  const info = expect('refundApplyDetail', await WXAPI.refundApplyDetail(token, order.id))
  seen.refund = info[0].baseInfo

  const amount = expect('userAmount', await WXAPI.userAmount(token))
  seen.balance = amount.balance
  const logs = expect('cashLogs', await WXAPI.cashLogs({ token, page: 1, pageSize: 20 }))
  seen.cashLog = logs.map(e => ({ amount: e.amount, behavior: e.behavior, type: e.type }))
  const logsV3 = expect('cashLogsV3', await WXAPI.cashLogsV3({ token, page: 1, pageSize: 20 }))
  seen.cashLogV3Rows = logsV3.totalRow
}

main().then(() => {
  process.stdout.write(JSON.stringify(seen))
}).catch(err => {
  process.stdout.write(JSON.stringify({ ...seen, error: String(err && err.stack || err) }))
  process.exit(1)
})
