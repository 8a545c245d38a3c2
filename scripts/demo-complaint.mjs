// The demo's written complaint: `npm start` files one through the widget's own API the first time
// it runs against a register that is empty, so the inbox's Complaints view shows something to open.
// It goes the way a customer's would (number, due date, the chat line, the mail to the catcher).

/** File the demo complaint of brand `operator` unless its register already has one. */
export async function fileDemoComplaint(url, { log = () => {}, password = 'switchboard-demo' } = {}) {
  const login = await fetch(`${url}/v1/agent/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'admin@northwind.test', password }) });
  if (!login.ok) return log(`demo complaint skipped: admin login ${login.status}`);
  const cookie = login.headers.get('set-cookie').split(';')[0];
  const list = await (await fetch(`${url}/v1/agent/complaints?limit=1`, { headers: { cookie } })).json();
  if (list.complaints?.length) return;
  const res = await fetch(`${url}/v1/widget/complaints`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: url },
    body: JSON.stringify({
      brand: 'operator',
      subject: 'Charged twice for the EU roaming pack',
      happened: 'My March invoice lists the EU roaming pack twice, on the 3rd and on the 4th. I only bought it once. My number is +371 2912 3456.',
      wanted: 'Refund the second charge and confirm it in writing.',
      email: 'ivan.demo@example.test',
    }),
  });
  log(res.ok ? `demo complaint filed: ${(await res.json()).number}` : `demo complaint not filed: ${res.status}`);
}
