// 「复制到公众号」: puts an article's 公众号 edition (the button's data-html) on the clipboard as text/html,
// with its text as text/plain, so that it pastes into the 公众号 editor with its styles.
function wechatHtml(button) {
  return button.dataset.html;
}

async function copyToWeChat(button) {
  const html = wechatHtml(button);
  const text = new DOMParser().parseFromString(html, "text/html").body.textContent;  // parsed inert, never shown
  const status = button.parentElement.querySelector(".copy-status");
  try {
    await navigator.clipboard.write([new ClipboardItem({
      "text/html": new Blob([html], {type: "text/html"}),
      "text/plain": new Blob([text], {type: "text/plain"}),
    })]);
    status.textContent = "已复制，可粘贴到公众号编辑器";
  } catch (error) {
    status.textContent = "浏览器未允许复制：" + error.message;
  }
}

document.querySelectorAll("button.copy-wechat").forEach(function (button) {
  button.addEventListener("click", function () { copyToWeChat(button); });
});
