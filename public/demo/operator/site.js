// The partner's own button opens the chat through the public API.
window.Switchboard = window.Switchboard || function () { (window.Switchboard.q = window.Switchboard.q || []).push(arguments); };
document.getElementById('open-chat').addEventListener('click', () => window.Switchboard('open'));
