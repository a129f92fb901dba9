// 「复制到公众号」: puts an article's 公众号 edition (the <template> beside the button) on the clipboard as
// text/html, with its text as text/plain, so that it pastes into the 公众号 editor with its styles.
function wechatHtml(button) {
  return document.getElementById(button.dataset.wechat).innerHTML.trim();
}

async function copyToWeChat(button) {
  const html = wechatHtml(button);
  const holder = document.createElement("div");
  holder.innerHTML = html;
  const text = holder.innerText || holder.textContent;
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
